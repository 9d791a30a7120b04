/**
 * Where the RDB file lives and the synchronous file steps of a save.
 *
 * Every operation on a *name* in the data directory (remove, create,
 * rename) is synchronous, so that it cannot interleave with another save's
 * name operations running on Deno's I/O threads: a background save that was
 * aborted can never unlink or rename the temporary file of the synchronous
 * save that replaced it. Only operations on an open file (write, fsync)
 * are asynchronous.
 *
 * @module
 */

import type { Config } from "../../core/config/config.ts";
import { byteStringToUtf8 } from "../../core/bytes.ts";
import { joinPath } from "../../persistence/io/files.ts";

/** The paths of one save, resolved from the configuration when it starts. */
export interface RdbPaths {
  /** The data directory (`dir`). */
  readonly dir: string;
  /** `dbfilename`, as configured. */
  readonly name: string;
  /** `dir/dbfilename`. */
  readonly file: string;
  /** Name of the temporary file, `temp-<pid>.rdb`. */
  readonly tempName: string;
  /** `dir/temp-<pid>.rdb`. */
  readonly temp: string;
}

/** Resolves the paths from `dir` and `dbfilename` as they are now. */
export function rdbPaths(config: Config): RdbPaths {
  const dir = byteStringToUtf8(config.get<string>("dir"));
  const name = byteStringToUtf8(config.get<string>("dbfilename"));
  const tempName = `temp-${Deno.pid}.rdb`;
  return { dir, name, file: joinPath(dir, name), tempName, temp: joinPath(dir, tempName) };
}

/** The system's description of a failed file operation, like C's `strerror`. */
export function systemError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "Not a directory";
  if (e instanceof Deno.errors.IsADirectory) return "Is a directory";
  return e instanceof Error ? e.message.replace(/ \(os error \d+\).*$/s, "") : String(e);
}

/** Removes `path` if it exists. */
export function removeIfExistsSync(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Creates `path` for writing, replacing a leftover file of that name. */
export function createFileSync(path: string): Deno.FsFile {
  removeIfExistsSync(path);
  return Deno.openSync(path, { write: true, createNew: true });
}

/** fsyncs directory `dir` so that a rename in it is durable. */
export function fsyncDirSync(dir: string): void {
  const handle = Deno.openSync(dir, { read: true });
  try {
    handle.syncSync();
  } catch (e) {
    // Some filesystems refuse fsync on a directory (EINVAL); Redis ignores that too.
    if (!(e instanceof Error && /EINVAL|Invalid argument/.test(e.message))) throw e;
  } finally {
    handle.close();
  }
}
