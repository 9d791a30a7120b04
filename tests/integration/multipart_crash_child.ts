/**
 * A Cairn server for crash_multipart_test.ts: the multi-part AOF with a
 * fault hook that ends the process (exit code 70, no cleanup of any kind)
 * when a rewrite reaches the step named on the command line.
 *
 * `deno run -A multipart_crash_child.ts <port> <dir> <step> <appendfsync> <preamble yes|no>`
 *
 * @module
 */

import { startServer } from "../../server/server.ts";
import { rdbSnapshotPlugin } from "../../plugins/rdb-snapshot/mod.ts";
import { hybridPreamblePlugin } from "../../plugins/hybrid-preamble/mod.ts";
import { createAofMultipartPlugin, type RewriteStep } from "../../plugins/aof-multipart/mod.ts";

/** Exit code of a process ended at the fault step. */
export const CRASH_EXIT_CODE = 70;

if (import.meta.main) {
  const [port, dir, step, policy, preamble] = Deno.args;
  await startServer({
    port: Number(port),
    config: {
      dir,
      save: "",
      appendonly: true,
      appendfsync: policy,
      "aof-use-rdb-preamble": preamble === "yes",
    },
    logSink: { write() {} },
    plugins: [
      rdbSnapshotPlugin(),
      hybridPreamblePlugin(),
      createAofMultipartPlugin({
        faultAt(reached: RewriteStep) {
          if (reached === step) Deno.exit(CRASH_EXIT_CODE);
        },
      }),
    ],
  });
}
