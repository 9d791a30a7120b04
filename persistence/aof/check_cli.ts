/**
 * `cairn check-aof` as a CLI subcommand (register it with server/cli.ts's
 * `registerSubcommand`): prints what redis-check-aof prints and exits with
 * its codes.
 *
 * @module
 */

import { checkAof, parseCheckAofArgs } from "./check.ts";

const encoder = new TextEncoder();

/** Reads one line from standard input (the `--fix` confirmation). */
async function readLine(): Promise<string | null> {
  const buf = new Uint8Array(1024);
  const n = await Deno.stdin.read(buf);
  return n === null ? null : new TextDecoder().decode(buf.subarray(0, n));
}

/** The `check-aof` subcommand (shaped as server/cli.ts's `Subcommand`). */
export const CHECK_AOF_SUBCOMMAND = {
  usage: "[--fix|--truncate-to-timestamp TS] FILE",
  summary: "verify (and fix) an AOF file or manifest (like redis-check-aof)",
  async run(args: readonly string[]): Promise<number> {
    const parsed = parseCheckAofArgs(args);
    if (typeof parsed === "string") {
      Deno.stdout.writeSync(encoder.encode(parsed));
      return 1;
    }
    return await checkAof(parsed, {
      print: (text) => {
        Deno.stdout.writeSync(encoder.encode(text));
      },
      readAnswer: readLine,
    });
  },
};
