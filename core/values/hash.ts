/**
 * The hash value type. (Filled in by the data-types work: representation,
 * operations and the encoding Redis would report.)
 *
 * @module
 */

/** A hash value. */
export class HashValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "hash" as const;
}
