/**
 * The error every RDB decoding failure becomes: it names the file (or the
 * payload), the byte offset where the problem starts and what was expected,
 * using Redis's wording where Redis has one.
 *
 * @module
 */

/** Why the input was refused. */
export type RdbErrorKind =
  /** The input ended early. */
  | "truncated"
  /** The bytes do not follow the format. */
  | "corrupt"
  /** The checksum does not match. */
  | "checksum"
  /** Valid RDB data that Cairn cannot hold (streams, modules, functions, newer versions). */
  | "unsupported";

/** A refused RDB file or payload. */
export class RdbError extends Error {
  /** What kind of failure this is. */
  readonly kind: RdbErrorKind;
  /** The file name (or "DUMP payload"). */
  readonly file: string;
  /** Byte offset in the file where the offending item starts. */
  readonly offset: number;
  /** The description without file and offset. */
  readonly detail: string;

  /** Creates the error; the message reads "`file` at offset `offset`: `detail`". */
  constructor(kind: RdbErrorKind, file: string, offset: number, detail: string) {
    super(`${file} at offset ${offset}: ${detail}`);
    this.name = "RdbError";
    this.kind = kind;
    this.file = file;
    this.offset = offset;
    this.detail = detail;
  }
}
