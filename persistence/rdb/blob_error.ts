/**
 * The error the blob decoders (listpack, ziplist, intset, zipmap) throw for
 * malformed input. The RDB reader turns it into an {@link RdbError} naming
 * the file and offset of the blob.
 *
 * @module
 */

/** A malformed blob: `message` says what was wrong. */
export class BlobFormatError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "BlobFormatError";
  }
}
