/**
 * Writing an AOF base synchronously, in one step of the event loop: what
 * Redis's `rewriteAppendOnlyFile` does in the main process when a
 * multi-part AOF is first created at startup ("Creating AOF base file ...
 * on server start"). Nothing else runs meanwhile, so no write can slip in
 * between the image and the incr file opened right after it.
 *
 * The dataset is usually empty then; a large one blocks for as long as the
 * walk takes, as in Redis.
 *
 * @module
 */

import type { Db } from "../../core/keyspace/db.ts";
import { SnapshotWalk } from "../../core/keyspace/snapshot.ts";
import { writeAllSync } from "../io/files.ts";
import type { AofBaseWriter } from "./base_format.ts";

/** Walking time between two drains of the serializer, in ms. */
const SLICE_MS = 50;

/** Writes the image of `dbs` through `base` into `file`; returns the bytes written. Does not fsync. */
export function writeAofBaseSync(
  dbs: readonly Db[],
  base: AofBaseWriter,
  file: Deno.FsFile,
): number {
  const walk = new SnapshotWalk(dbs, base.visitor);
  let bytes = 0;
  const out = (chunk: Uint8Array) => {
    if (chunk.length === 0) return;
    writeAllSync(file, chunk);
    bytes += chunk.length;
  };
  try {
    out(base.begin());
    while (!walk.step({ deadline: performance.now() + SLICE_MS })) out(base.drain());
    out(base.drain());
    out(base.end());
  } catch (e) {
    walk.abort();
    throw e;
  }
  return bytes;
}
