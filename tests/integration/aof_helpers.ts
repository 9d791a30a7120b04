/**
 * Helpers shared by the AOF tests: INFO fields, the end of a rewrite as an
 * event, a file handle that fails on demand and counts fsyncs, and building
 * AOF text by hand.
 *
 * @module
 */

import type { CairnServer } from "../../server/server.ts";
import type { AofEvents, AofRewriteOutcome } from "../../persistence/aof/events.ts";
import type { AofFile } from "../../persistence/aof/file.ts";
import type { RespClient } from "../_helpers/resp_client.ts";

/** The config of a Cairn server with the single-file AOF on. */
export function classicAof(policy: "always" | "everysec" | "no" = "everysec") {
  return { appendonly: true, "aof-multi-part": false, appendfsync: policy };
}

/** INFO `section` as a map of its fields, in order. */
export async function info(
  client: RespClient,
  section = "persistence",
): Promise<Map<string, string>> {
  const text = await client.call("INFO", section) as string;
  const fields = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Resolves with the outcome of the next rewrite of `server` to end. */
export function nextRewriteEnd(server: CairnServer): Promise<AofRewriteOutcome> {
  const { promise, resolve } = Promise.withResolvers<AofRewriteOutcome>();
  const stop = server.core.bus.typed<AofEvents>().on("aof.rewrite.done", ({ outcome }) => {
    stop();
    resolve(outcome);
  });
  return promise;
}

/** RESP text of one command (written out independently of Cairn's encoder). */
export function resp(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

/** The four AOF layouts Cairn writes: one file or multi-part, each with a RESP or an RDB base. */
export const AOF_LAYOUTS: readonly { multiPart: boolean; preamble: boolean }[] = [
  { multiPart: false, preamble: false },
  { multiPart: false, preamble: true },
  { multiPart: true, preamble: false },
  { multiPart: true, preamble: true },
];

/** A layout of {@link AOF_LAYOUTS} in words, for test names. */
export function aofLayoutName(layout: { multiPart: boolean; preamble: boolean }): string {
  return `${layout.multiPart ? "multi-part" : "single-file"} AOF, ${
    layout.preamble ? "RDB" : "RESP"
  } base`;
}

/** Switches and counters behind {@link FaultyFile}s. */
export interface FaultControl {
  /** When set, writes throw it. */
  writeError: Error | null;
  /** fsyncs requested so far. */
  fsyncs: number;
}

/** ENOSPC as Deno reports it. */
export function noSpace(): Error {
  return new Error("No space left on device (os error 28)");
}

/** A real append handle that fails writes on demand and counts fsyncs. */
export class FaultyFile implements AofFile {
  readonly #file: Deno.FsFile;
  readonly #control: FaultControl;

  /** Opens `path` for appending under `control`. */
  constructor(path: string, control: FaultControl) {
    this.#file = Deno.openSync(path, { write: true, append: true, create: true });
    this.#control = control;
  }

  /** Writes, unless failing. */
  writeSync(bytes: Uint8Array): number {
    if (this.#control.writeError !== null) throw this.#control.writeError;
    return this.#file.writeSync(bytes);
  }

  /** Counts and fsyncs. */
  syncData(): Promise<void> {
    this.#control.fsyncs++;
    return this.#file.syncData();
  }

  /** Counts and fsyncs. */
  syncDataSync(): void {
    this.#control.fsyncs++;
    this.#file.syncDataSync();
  }

  /** Truncates. */
  truncateSync(length: number): void {
    this.#file.truncateSync(length);
  }

  /** Closes. */
  close(): void {
    this.#file.close();
  }
}

/** Polls `condition` every 5 ms (for states with no event, such as a file's size). */
export async function until(condition: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
