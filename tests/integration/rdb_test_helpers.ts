/**
 * Helpers shared by the rdb-snapshot tests: INFO fields, the end of a
 * background save as an event, waiting for redis-server's own saves, and
 * running redis-check-rdb.
 *
 * @module
 */

import type { CairnServer } from "../../server/server.ts";
import type { BackgroundSaveOutcome, RdbEvents } from "../../plugins/rdb-snapshot/mod.ts";
import { plain, type RespClient } from "../_helpers/resp_client.ts";
import { redisBinary } from "../_helpers/servers.ts";

/** INFO `section` as a map of its fields. */
export async function info(
  client: RespClient,
  section = "persistence",
): Promise<Map<string, string>> {
  const text = await client.call("INFO", section) as string;
  return infoMap(text);
}

/** Parses INFO text into its fields, in order. */
export function infoMap(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Resolves with the outcome of the next background save of `server` to end. */
export function nextBgsaveEnd(server: CairnServer): Promise<BackgroundSaveOutcome> {
  const { promise, resolve } = Promise.withResolvers<BackgroundSaveOutcome>();
  const stop = server.core.bus.typed<RdbEvents>().on("rdb.bgsave.done", ({ outcome }) => {
    stop();
    resolve(outcome);
  });
  return promise;
}

/**
 * Waits until redis-server has no background save running (it offers no
 * event to await: INFO is polled).
 */
export async function redisSaveFinished(client: RespClient): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const fields = await info(client);
    if (fields.get("rdb_bgsave_in_progress") === "0") return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("redis-server's background save did not end");
}

/** Runs redis-check-rdb on `path`: its exit code and output. */
export async function redisCheckRdb(path: string): Promise<{ code: number; output: string }> {
  const bin = redisBinary("redis-check-rdb");
  if (bin === null) throw new Error("redis-check-rdb is not installed");
  const out = await new Deno.Command(bin, { args: [path], stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  return { code: out.code, output: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

/** Sends commands pipelined (1000 at a time) and fails on any error reply. */
export async function run(client: RespClient, commands: (string | number)[][]): Promise<void> {
  for (let from = 0; from < commands.length; from += 1000) {
    const batch = commands.slice(from, from + 1000);
    const replies = await client.pipeline(batch);
    replies.forEach((r, i) => {
      if (r.type === "error") throw new Error(`${batch[i].join(" ")}: ${r.value}`);
    });
  }
}

/** The reply of a command as a plain value, errors included as `Error`s. */
export async function reply(client: RespClient, ...args: (string | number)[]): Promise<unknown> {
  return plain(await client.send(...args));
}
