/**
 * File operations with the durability rules Redis 7.0 follows.
 *
 * A file replaces another atomically: write a temporary file in the same
 * directory, fsync it, rename it over the target, fsync the directory. After
 * a crash at any point the target is either the old complete file or the new
 * complete file. Renames are only durable once the directory is fsynced.
 *
 * @module
 */

/** fsyncs a directory so that renames and creations in it are durable. */
export async function fsyncDir(path: string): Promise<void> {
  const dir = await Deno.open(path, { read: true });
  try {
    await dir.sync();
  } catch (e) {
    // Some filesystems refuse fsync on directories (EINVAL); Redis ignores that too.
    if (!(e instanceof Deno.errors.InvalidData) && !isEinval(e)) throw e;
  } finally {
    dir.close();
  }
}

function isEinval(e: unknown): boolean {
  return e instanceof Error && /EINVAL|Invalid argument/.test(e.message);
}

/** Joins a directory and a file name. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** The directory part of a path. */
export function dirName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/** Writes all of `bytes` to `file` (Deno's write may be partial). */
export async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

/** Synchronous {@link writeAll}. */
export function writeAllSync(file: Deno.FsFile, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
}

/**
 * Atomically replaces `target` with the file at `temp` (already written and
 * fsynced): rename, then fsync the directory.
 */
export async function renameDurably(temp: string, target: string): Promise<void> {
  await Deno.rename(temp, target);
  await fsyncDir(dirName(target));
}

/**
 * Renames `temp` over `target` now, without freeing the replaced file's disk
 * blocks on this thread, and returns the function that frees them: call it
 * once this process holds no open handle on the replaced file (closing the
 * last handle of a file without a name frees its blocks just the same).
 *
 * When a rename drops the last name of a large file, the kernel frees its
 * blocks inside the rename: measured on ext4, 190 ms for 140 MB, a stall of
 * every client (Redis avoids it by renaming in the fork child, or closing
 * the old file on a background thread). So the replaced file first gets a
 * second name (`<temp>.old`, a hard link): the rename only drops a name, and
 * the file is then removed by an asynchronous remove, which Deno runs off
 * the main thread. `target` names the old or the new file at every instant,
 * so a crash still leaves one of them complete; a crash before the remove
 * leaves `<temp>.old` behind (temp names hold the pid: a later process
 * leaves it alone, as Redis leaves the temp-<pid>.rdb of a crashed save).
 *
 * Where hard links fail (no old file, a filesystem without links, a leftover
 * side name that could not be removed), this is a plain rename.
 */
export function replaceFileSync(temp: string, target: string): () => Promise<void> {
  const side = `${temp}.old`;
  const linked = linkAside(target, side) || (removeLeftover(side) && linkAside(target, side));
  try {
    Deno.renameSync(temp, target);
  } catch (e) {
    if (linked) removeLeftover(side); // the target still names that file: cheap
    throw e;
  }
  return linked ? () => Deno.remove(side).catch(() => {}) : () => Promise.resolve();
}

/** Gives `target` the extra name `side`; false when that fails. */
function linkAside(target: string, side: string): boolean {
  try {
    Deno.linkSync(target, side);
    return true;
  } catch {
    return false;
  }
}

/** Removes a side name (left by a crash, or unused); true when one was there. */
function removeLeftover(side: string): boolean {
  try {
    Deno.removeSync(side);
    return true;
  } catch {
    return false;
  }
}

/** True when `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * The size of the file at `path`, or null when it does not exist.
 * Synchronous: startup loaders publish the size before anything else runs.
 */
export function fileSize(path: string): number | null {
  try {
    return Deno.statSync(path).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Removes `path` if it exists. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
