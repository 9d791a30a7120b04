/**
 * The rewrite buffer of the two-buffer method: while a rewrite runs, every
 * AOF record also lands here (Redis's `aof_rewrite_buf_blocks`), in blocks
 * so that a long rewrite under heavy writes never copies what it already
 * holds.
 *
 * @module
 */

/** Size of one block (Redis uses 10 MB; smaller blocks free memory sooner as they are written). */
const BLOCK_BYTES = 1 << 20;

/** Append-only list of byte blocks. */
export class RewriteBuffer {
  #blocks: Uint8Array[] = [];
  #current: Uint8Array | null = null;
  #used = 0;
  #length = 0;

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** Copies `bytes` in. */
  append(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      if (this.#current === null || this.#used === this.#current.length) this.#newBlock();
      const block = this.#current!;
      const n = Math.min(bytes.length - off, block.length - this.#used);
      block.set(bytes.subarray(off, off + n), this.#used);
      this.#used += n;
      off += n;
    }
    this.#length += bytes.length;
  }

  /** Returns everything held, in order, and empties the buffer. */
  takeAll(): Uint8Array[] {
    const out = this.#blocks;
    if (this.#current !== null && this.#used > 0) out.push(this.#current.subarray(0, this.#used));
    this.#blocks = [];
    this.#current = null;
    this.#used = 0;
    this.#length = 0;
    return out;
  }

  #newBlock(): void {
    if (this.#current !== null) this.#blocks.push(this.#current);
    this.#current = new Uint8Array(BLOCK_BYTES);
    this.#used = 0;
  }
}
