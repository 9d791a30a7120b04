/**
 * `aof-classic`: the single-file append-only file of Redis 6.x
 * (`<dir>/<appendfilename>`), used when `aof-multi-part no`. See
 * README.md in this folder for the design (two-buffer rewrite, fsync
 * policies, recovery) and classic_aof.ts for the states.
 *
 * @module
 */

import { type CairnPlugin, definePlugin } from "../../core/plugin.ts";
import { ClassicAof, type ClassicAofOptions } from "./classic_aof.ts";
import { bgrewriteaofCommand, loadAofDebugSubcommand } from "../../persistence/aof/aof_commands.ts";
import { aofPersistenceFields } from "../../persistence/aof/aof_info.ts";

export { ClassicAof, type ClassicAofOptions } from "./classic_aof.ts";
export type { AofEvents, AofRewriteOutcome } from "../../persistence/aof/events.ts";

/** Startup loading priority: above the RDB plugin's 10, so the AOF wins (Redis's rule). */
export const AOF_RECOVERY_PRIORITY = 100;

/** Creates the plugin; `options` let tests inject the file handle. */
export function createAofClassicPlugin(options: ClassicAofOptions = {}): CairnPlugin {
  return definePlugin({
    name: "aof-classic",
    setup(ctx) {
      const aof = new ClassicAof(ctx, options);
      ctx.registerCommands([bgrewriteaofCommand(aof)]);
      ctx.core.addDebugSubcommands([loadAofDebugSubcommand(aof)]);
      ctx.addInfo("persistence", () => aofPersistenceFields(aof.infoState()));
      ctx.addInfo("memory", () => [["mem_aof_buffer", aof.bufferedBytes()]]);
      ctx.addWriteGuard(() => aof.misconf());
      const unsubscribe = [
        ctx.config.onChange((key, value) => aof.onConfigChange(key, value)),
        ctx.bus.on("config.changed", ({ key, value }) => {
          if (key === "appendonly") aof.onAppendonlyChanged(value === "yes");
        }),
        ctx.bus.on("cron", () => aof.cron()),
      ];
      return {
        recover: { priority: AOF_RECOVERY_PRIORITY, load: () => aof.recover() },
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

/** The plugin with default options. */
export const aofClassicPlugin: CairnPlugin = createAofClassicPlugin();
