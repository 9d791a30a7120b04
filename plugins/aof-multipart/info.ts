/**
 * The INFO fields of the multi-part AOF: the shared AOF fields
 * (persistence/aof/aof_info.ts) filled from the plugin's state. There is no
 * rewrite buffer in this layout, so `mem_aof_buffer` is the writer's
 * buffer alone.
 *
 * @module
 */

import type { InfoProvider } from "../../core/core.ts";
import { aofPersistenceFields } from "../../persistence/aof/aof_info.ts";
import type { MultipartAof } from "./multipart_aof.ts";

/** The persistence section's fields. */
export function persistenceInfo(aof: MultipartAof): InfoProvider {
  return () => aofPersistenceFields(aof.infoState());
}

/** The memory section's `mem_aof_buffer`. */
export function memoryInfo(aof: MultipartAof): InfoProvider {
  return () => [["mem_aof_buffer", aof.writer?.buffer.length ?? 0]];
}
