/**
 * `aof-multipart`: Redis 7.0's multi-part append-only file (`appendonly
 * yes` with `aof-multi-part yes`, the default).
 *
 * ```
 * <dir>/<appenddirname>/               appendonlydir/
 *   <appendfilename>.manifest            appendonly.aof.manifest
 *   <appendfilename>.<n>.base.rdb|aof    appendonly.aof.1.base.rdb
 *   <appendfilename>.<n>.incr.aof        appendonly.aof.1.incr.aof
 * ```
 *
 * - Startup in Redis's order: read the manifest, upgrade an old single
 *   `appendonly.aof`, load the base and the incr files (the AOF owns the
 *   dataset: dump.rdb is not consulted), create the base and the first incr
 *   file on a first start, open the last incr file, delete history files.
 * - BGREWRITEAOF without a second buffer: a new incr file takes the writes
 *   from the instant the rewrite starts; the new base is written from a
 *   point-in-time walk and installed with a durable manifest switch.
 * - CONFIG SET appendonly yes/no, `aof-disable-auto-gc`, `aof-timestamp-enabled`,
 *   automatic rewrites on growth, DEBUG LOADAOF, INFO's aof_* fields.
 *
 * RDB bases come from the capability `aof.base-format.rdb` (the
 * hybrid-preamble plugin); without it bases are RESP.
 *
 * @module
 */

import { type CairnPlugin, definePlugin } from "../../core/plugin.ts";
import { bgrewriteaofCommand, loadAofDebugSubcommand } from "../../persistence/aof/aof_commands.ts";
import { MultipartAof, type MultipartAofOptions } from "./multipart_aof.ts";
import { memoryInfo, persistenceInfo } from "./info.ts";

export { type AofState, MultipartAof, type MultipartAofOptions } from "./multipart_aof.ts";
export type { FaultHook, RewriteStep } from "./faults.ts";

/** Startup loading priority: above the RDB plugin's 10, so the AOF wins (Redis's rule). */
export const AOF_MULTIPART_RECOVERY_PRIORITY = 100;

/** Creates the plugin; `options` are test hooks. */
export function createAofMultipartPlugin(options: MultipartAofOptions = {}): CairnPlugin {
  return definePlugin({
    name: "aof-multipart",
    setup(ctx) {
      const aof = new MultipartAof(ctx, options);
      ctx.registerCommands([bgrewriteaofCommand(aof)]);
      ctx.core.addDebugSubcommands([loadAofDebugSubcommand(aof)]);
      ctx.addInfo("persistence", persistenceInfo(aof));
      ctx.addInfo("memory", memoryInfo(aof));
      ctx.addWriteGuard(() => aof.misconf());
      const unsubscribe = [
        ctx.config.onChange((key, value) => aof.onConfigChange(key, value)),
        ctx.bus.on("config.changed", ({ key, value }) => {
          if (key === "appendonly") aof.onAppendonlyChanged(value === "yes");
        }),
        ctx.bus.on("cron", () => aof.cron()),
      ];
      return {
        recover: { priority: AOF_MULTIPART_RECOVERY_PRIORITY, load: () => aof.recover() },
        ready: () => aof.ready(),
        shutdown: (request) => aof.shutdown(request),
        async close() {
          for (const u of unsubscribe) u();
          await aof.close();
        },
      };
    },
  });
}
