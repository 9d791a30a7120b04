/**
 * The built-in persistence plugins and how the configuration selects them,
 * as Redis's own keys would: RDB snapshots are always available (SAVE works
 * even with `save ""`); the AOF plugin of the layout chosen by
 * `aof-multi-part` is loaded so that `appendonly` can be switched on at
 * runtime; the hybrid preamble plugin serves `aof-use-rdb-preamble`.
 *
 * Every plugin is imported statically so that `deno compile` embeds it.
 *
 * @module
 */

import type { CairnPlugin } from "../core/plugin.ts";
import type { Config } from "../core/config/config.ts";
import { rdbSnapshotPlugin } from "./rdb-snapshot/mod.ts";
import { createAofClassicPlugin } from "./aof-classic/mod.ts";
import { createAofMultipartPlugin } from "./aof-multipart/mod.ts";
import { hybridPreamblePlugin } from "./hybrid-preamble/mod.ts";

/**
 * The plugins the configuration asks for, in start order. The hybrid
 * preamble plugin is always there (CONFIG SET aof-use-rdb-preamble works at
 * runtime, as in Redis); the AOF layout is fixed at start.
 */
export function defaultPlugins(config: Config): CairnPlugin[] {
  return [
    rdbSnapshotPlugin(),
    hybridPreamblePlugin(),
    config.get<boolean>("aof-multi-part") ? createAofMultipartPlugin() : createAofClassicPlugin(),
  ];
}
