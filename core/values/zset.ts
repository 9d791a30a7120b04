/**
 * The zset value type. (Filled in by the data-types work: representation,
 * operations and the encoding Redis would report.)
 *
 * @module
 */

/** A zset value. */
export class ZSetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "zset" as const;
}
