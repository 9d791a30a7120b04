/**
 * The set value type. (Filled in by the data-types work: representation,
 * operations and the encoding Redis would report.)
 *
 * @module
 */

/** A set value. */
export class SetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "set" as const;
}
