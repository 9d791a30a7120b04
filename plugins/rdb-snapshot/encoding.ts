/**
 * The RDB writer settings of a save, read from the configuration when the
 * save starts (as Redis's fork child keeps the values it was forked with).
 *
 * @module
 */

import type { Core } from "../../core/core.ts";
import type { AuxFields, RdbWriterOptions } from "../../persistence/rdb/mod.ts";

/** Writer options and AUX fields of one save. */
export interface SaveSettings {
  /** Encoding thresholds, compression, checksum. */
  readonly options: RdbWriterOptions;
  /** The AUX fields of the header. */
  readonly aux: AuxFields;
}

/** The settings for a save starting now. */
export function saveSettings(core: Core): SaveSettings {
  const mem = Deno.memoryUsage();
  return {
    // A copy: CONFIG SET of a threshold during a background save must not
    // change the encodings half-way through the file.
    options: {
      limits: { ...core.limits },
      compression: core.config.get<boolean>("rdbcompression"),
      checksum: core.config.get<boolean>("rdbchecksum"),
    },
    aux: { ctime: Math.floor(Date.now() / 1000), usedMem: mem.heapUsed + mem.external },
  };
}
