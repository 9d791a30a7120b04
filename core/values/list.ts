/**
 * The list value type. (Filled in by the data-types work: representation,
 * operations and the encoding Redis would report.)
 *
 * @module
 */

/** A list value. */
export class ListValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "list" as const;
}
