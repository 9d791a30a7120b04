/**
 * The synchronous save (Redis's `rdbSave`): SAVE, the save of FLUSHALL and
 * SHUTDOWN, DEBUG RELOAD. It blocks the server while it runs, as in Redis,
 * so the image is the dataset at the call and no hook is needed.
 *
 * The file is written to `temp-<pid>.rdb`, fsynced, renamed over
 * `dbfilename` and the directory fsynced: after a crash at any point the
 * target is the old complete file or the new complete file.
 *
 * @module
 */

import type { Db } from "../../core/keyspace/db.ts";
import type { Logger } from "../../core/log.ts";
import { replaceFileSync, writeAllSync } from "../../persistence/io/files.ts";
import { RdbEncoder } from "../../persistence/rdb/mod.ts";
import type { SaveSettings } from "./encoding.ts";
import {
  createFileSync,
  fsyncDirSync,
  type RdbPaths,
  removeIfExistsSync,
  systemError,
} from "./files.ts";

/** Output is handed to the file in chunks of this size. */
const CHUNK_BYTES = 1 << 20;

/**
 * Writes every database to `paths.file`. Returns true on success; failures
 * are logged with Redis's wording and leave the old file in place.
 */
export function saveSync(
  dbs: readonly Db[],
  paths: RdbPaths,
  settings: SaveSettings,
  log: Logger,
): boolean {
  let file: Deno.FsFile;
  try {
    file = createFileSync(paths.temp);
  } catch (e) {
    log.warning(
      `Failed opening the temp RDB file ${paths.tempName} (in server root dir ${paths.dir}) for saving: ${
        systemError(e)
      }`,
    );
    return false;
  }
  let step = "rdbSaveRio";
  try {
    encodeAll(dbs, settings, (bytes) => writeAllSync(file, bytes));
    step = "fsync";
    file.syncSync();
  } catch (e) {
    file.close();
    return failed(log, paths, step, e);
  }
  file.close();
  try {
    void replaceFileSync(paths.temp, paths.file)(); // no handle on the old file is open
  } catch (e) {
    log.warning(
      `Error moving temp DB file ${paths.tempName} on the final destination ${paths.name} (in server root dir ${paths.dir}): ${
        systemError(e)
      }`,
    );
    removeQuietly(paths.temp);
    return false;
  }
  try {
    fsyncDirSync(paths.dir);
  } catch (e) {
    return failed(log, paths, "fsyncFileDir", e);
  }
  log.notice("DB saved on disk");
  return true;
}

/** Encodes the whole dataset, handing the bytes to `write` chunk by chunk. */
function encodeAll(
  dbs: readonly Db[],
  settings: SaveSettings,
  write: (bytes: Uint8Array) => void,
): void {
  const enc = new RdbEncoder(settings.options);
  enc.header(settings.aux);
  for (const db of dbs) {
    const table = db.table;
    if (table.size === 0) continue;
    enc.selectDb(db.index, table.size, table.volatileCount);
    for (let i = 0; i < table.shardCount; i++) {
      const shard = table.shard(i);
      const expires = shard.expires;
      shard.values.forEach((key, value, hash) => {
        enc.encodeKey(key, value, expires === null ? -1 : expires.get(key, hash) ?? -1);
      });
      if (enc.pending >= CHUNK_BYTES) write(enc.take());
    }
  }
  enc.end();
  write(enc.take());
}

function failed(log: Logger, paths: RdbPaths, step: string, e: unknown): false {
  log.warning(`Write error saving DB on disk(${step}): ${systemError(e)}`);
  removeQuietly(paths.temp);
  return false;
}

function removeQuietly(path: string): void {
  try {
    removeIfExistsSync(path);
  } catch {
    // nothing more to do: the next save replaces it
  }
}
