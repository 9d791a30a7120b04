/**
 * Why an AOF could not be loaded. The loader logs Redis's lines before it
 * throws, so the message of the error is for callers and tests.
 *
 * @module
 */

/** Kinds of fatal load errors. */
export type AofLoadErrorKind =
  /** The file exists but cannot be opened or read. */
  | "read"
  /** Not RESP where a record must start, or a malformed header (Redis's "Bad file format"). */
  | "format"
  /** The file ends inside a record and `aof-load-truncated` is off (or truncating failed). */
  | "truncated"
  /** A record names a command the server does not know. */
  | "unknown-command"
  /** The RDB preamble is unreadable. */
  | "preamble";

/** A fatal AOF load error. */
export class AofLoadError extends Error {
  /** What went wrong. */
  readonly kind: AofLoadErrorKind;
  /** Byte offset of the record at fault, or -1. */
  readonly offset: number;

  /** Creates an error of `kind` at `offset`. */
  constructor(kind: AofLoadErrorKind, message: string, offset = -1) {
    super(message);
    this.name = "AofLoadError";
    this.kind = kind;
    this.offset = offset;
  }
}

/** Shows up to `max` bytes as a quoted string with C escapes (for error messages). */
export function quoteBytes(bytes: Uint8Array, max = 64): string {
  let out = '"';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0d) out += "\\r";
    else if (b === 0x0a) out += "\\n";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\x" + b.toString(16).padStart(2, "0");
  }
  return out + (bytes.length > max ? '"...' : '"');
}
