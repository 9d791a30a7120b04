/**
 * Scenarios with several clients, run on Cairn and on redis-server: each
 * returns a transcript (the replies it saw), and both transcripts must be
 * equal. Plus the waits such scenarios need.
 *
 * @module
 */

import { deepEqual } from "node:assert/strict";
import { requireRedis, startRedis, startTestServer } from "./servers.ts";
import { plain, type RespClient } from "./resp_client.ts";

/** A server a scenario runs against. */
export interface Target {
  /** Opens a client connection. */
  client(): Promise<RespClient>;
}

/** Drives one server and returns what it replied. */
export type Scenario = (target: Target) => Promise<unknown[]>;

/** Runs `scenario` on Cairn and on Redis (when installed); checks they agree; returns Cairn's transcript. */
export async function onBoth(scenario: Scenario): Promise<unknown[]> {
  let cairnTranscript: unknown[];
  {
    await using cairn = await startTestServer();
    cairnTranscript = await scenario(cairn);
  }
  if (requireRedis()) {
    await using redis = await startRedis();
    deepEqual(await scenario(redis), cairnTranscript, "Cairn and Redis transcripts differ");
  }
  return cairnTranscript;
}

/** Resolves once the server reports `n` blocked clients (INFO clients; not under an ALL pause). */
export async function untilBlocked(ctl: RespClient, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (true) {
    const info = String(await ctl.call("INFO", "clients"));
    const m = /blocked_clients:(\d+)/.exec(info);
    if (m !== null && Number(m[1]) === n) return;
    if (Date.now() > deadline) throw new Error(`never saw ${n} blocked clients:\n${info}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Sends a command whose reply comes later; resolves with its plain reply (errors as strings). */
export function later(c: RespClient, ...args: (string | number)[]): Promise<unknown> {
  return c.send(...args).then((r) => r.type === "error" ? `error: ${r.value}` : plain(r));
}
