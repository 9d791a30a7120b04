/**
 * Where the reader gets bytes from: a file, a `ReadableStream`, an async
 * iterable of chunks, or bytes already in memory. Every source reads into
 * the caller's buffer, so a file is read without intermediate copies.
 *
 * @module
 */

/** A source of bytes. */
export interface ChunkSource {
  /** Reads up to `into.length` bytes; resolves with the count, or null at the end. */
  read(into: Uint8Array): Promise<number | null>;
  /**
   * Stops reading (releases a stream reader) and returns the bytes it had
   * received but not delivered yet (the rest of a stream's last chunk).
   */
  release(): Uint8Array;
}

/** Anything the reader accepts as input. */
export type RdbInput =
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | { read(p: Uint8Array): Promise<number | null> };

/** Wraps `input` as a {@link ChunkSource}. */
export function chunkSource(input: RdbInput): ChunkSource {
  if (input instanceof ReadableStream) return fromIterator(input.getReader());
  if ("read" in input && typeof input.read === "function") {
    const file = input as { read(p: Uint8Array): Promise<number | null> };
    return { read: (into) => file.read(into), release: () => new Uint8Array(0) };
  }
  const it = (input as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return fromIterator({
    read: () => it.next(),
    releaseLock() {},
  });
}

interface ChunkReader {
  read(): Promise<{ done?: boolean; value?: Uint8Array }>;
  releaseLock(): void;
}

function fromIterator(reader: ChunkReader): ChunkSource {
  let pending: Uint8Array | null = null;
  return {
    async read(into) {
      while (pending === null || pending.length === 0) {
        const r = await reader.read();
        if (r.done || r.value === undefined) return null;
        pending = r.value;
      }
      const n = Math.min(into.length, pending.length);
      into.set(pending.subarray(0, n));
      pending = pending.subarray(n);
      return n;
    },
    release() {
      reader.releaseLock();
      return pending ?? new Uint8Array(0);
    },
  };
}
