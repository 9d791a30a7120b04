/**
 * `hybrid-preamble`: RDB bases for AOF rewrites (`aof-use-rdb-preamble
 * yes`, Redis's default).
 *
 * The plugin provides the capability `aof.base-format.rdb`
 * ({@link AOF_RDB_BASE_FORMAT}). An AOF plugin that rewrites while
 * `aof-use-rdb-preamble` is yes asks for it and writes its base as an RDB
 * image: the multi-part layout as `appendonly.aof.<n>.base.rdb`, the
 * single-file layout as an RDB preamble followed by the AOF tail. Without
 * this plugin, rewrites fall back to RESP bases. Loading needs nothing from
 * it: the AOF loader recognises the `REDIS` magic by itself.
 *
 * The image is written with the same settings as a BGSAVE started at the
 * same moment (`rdbcompression`, `rdbchecksum`, the encoding thresholds),
 * read when the rewrite starts.
 *
 * @module
 */

import { type CairnPlugin, definePlugin } from "../../core/plugin.ts";
import type { Core } from "../../core/core.ts";
import { AOF_RDB_BASE_FORMAT, type AofRdbBaseFormat } from "../../persistence/aof/base_format.ts";
import { RdbBaseWriter } from "./rdb_base_writer.ts";

export { RdbBaseWriter } from "./rdb_base_writer.ts";

/** The capability's implementation for `core`. */
export function rdbBaseFormat(core: Core): AofRdbBaseFormat {
  return {
    createWriter() {
      const memory = Deno.memoryUsage();
      return new RdbBaseWriter(
        {
          // A copy: a CONFIG SET during the rewrite must not change encodings half-way.
          limits: { ...core.limits },
          compression: core.config.get<boolean>("rdbcompression"),
          checksum: core.config.get<boolean>("rdbchecksum"),
        },
        {
          ctime: Math.floor(Date.now() / 1000),
          usedMem: memory.heapUsed + memory.external,
        },
      );
    },
  };
}

/** Creates the hybrid-preamble plugin. */
export function hybridPreamblePlugin(): CairnPlugin {
  return definePlugin({
    name: "hybrid-preamble",
    setup(ctx) {
      ctx.provide<AofRdbBaseFormat>(AOF_RDB_BASE_FORMAT, rdbBaseFormat(ctx.core));
    },
  });
}
