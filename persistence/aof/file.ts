/**
 * The file an AOF writer appends to, as an interface so that tests (and
 * other layouts) can hand the writer any handle: `Deno.FsFile` satisfies it
 * as it is, and a test can wrap one to fail on demand.
 *
 * @module
 */

/** What the writer needs from an open AOF file. */
export interface AofFile {
  /** Writes some of `bytes` at the end of the file; returns how many were written. Throws on error. */
  writeSync(bytes: Uint8Array): number;
  /** Flushes the file's data to the disk (`fdatasync`), off the main thread. */
  syncData(): Promise<void>;
  /** Flushes the file's data to the disk on the calling thread. */
  syncDataSync(): void;
  /** Cuts the file to `length` bytes (undoes a short write). */
  truncateSync(length: number): void;
  /** Closes the handle. */
  close(): void;
}

/** Opens `path` for appending, creating it when missing (Redis opens with O_APPEND|O_CREAT). */
export function openAppend(path: string): Deno.FsFile {
  return Deno.openSync(path, { write: true, append: true, create: true });
}

/**
 * The system's text for an I/O error, as C's `strerror` prints it ("No space
 * left on device"), for log lines and MISCONF replies.
 */
export function systemErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Deno appends " (os error N)" and sometimes a ": path" context after it.
  const m = /^(.*?) \(os error \d+\)/.exec(message);
  return m !== null ? m[1] : message;
}

/** fsyncs directory `path` on the calling thread (renames in it become durable). */
export function fsyncDirSync(path: string): void {
  const dir = Deno.openSync(path, { read: true });
  try {
    dir.syncSync();
  } catch (e) {
    // Some filesystems refuse fsync on directories (EINVAL); Redis ignores that too.
    if (!/EINVAL|Invalid argument/.test(String(e))) throw e;
  } finally {
    dir.close();
  }
}
