/**
 * The `cairn` command: runs the server, like `redis-server [config] [--directive value ...]`,
 * or one of its tools (`cairn convert-conf redis.conf`). See server/cli.ts.
 *
 * @module
 */

import { runCli } from "./server/cli.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
