/**
 * `cairn check-rdb FILE` as a CLI subcommand: prints the {@link checkRdb}
 * report and exits 0 when the file is sound, 1 otherwise (like
 * redis-check-rdb). Register it with server/cli.ts's `registerSubcommand`.
 *
 * @module
 */

import { checkRdb } from "./check.ts";

/** The `check-rdb` subcommand (shaped as server/cli.ts's `Subcommand`). */
export const CHECK_RDB_SUBCOMMAND = {
  usage: "FILE",
  summary: "verify an RDB file and report what it holds (like redis-check-rdb)",
  async run(args: readonly string[]): Promise<number> {
    if (args.length !== 1) {
      console.error("Usage: cairn check-rdb <rdb-file-name>");
      return 1;
    }
    const { ok, report } = await checkRdb(args[0]);
    await Deno.stdout.write(new TextEncoder().encode(report));
    return ok ? 0 : 1;
  },
};
