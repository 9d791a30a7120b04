/**
 * `cairn check-rdb FILE`: verifies an RDB file and reports like
 * redis-check-rdb: the version, the AUX fields, the databases with their key
 * counts, expires, the checksum result, and the first error with its offset.
 *
 * @module
 */

import { defaultLimits } from "../../core/values/limits.ts";
import type { ValueBuilders } from "./builders.ts";
import type { Value } from "../../core/values/value.ts";
import { RdbError } from "./errors.ts";
import { readRdbFile } from "./reader.ts";

/** Outcome of {@link checkRdb}. */
export interface CheckRdbResult {
  /** True when the whole file was read without error. */
  ok: boolean;
  /** The report, one line per item, ending with a newline. */
  report: string;
}

// Values are decoded and validated but not kept: the checker builds stand-ins
// that only know their size (so duplicate members are still found).
const sized = (size: number) => ({ size }) as unknown as Value;
const DISCARD: ValueBuilders = {
  list: () => "",
  set: (members) => sized(new Set(members).size),
  hash: (entries) => sized(new Set(entries.map((e) => e[0])).size),
  zset: (entries) => sized(new Set(entries.map((e) => e[0])).size),
};

/** Reads the RDB file at `path` completely and reports what it holds. */
export async function checkRdb(path: string, now = Date.now()): Promise<CheckRdbResult> {
  const lines: string[] = [`[offset 0] Checking RDB file ${path}`];
  const perDb = new Map<number, number>();
  let keys = 0;
  let expires = 0;
  let expired = 0;
  let empty = 0;
  let ok = true;
  try {
    const result = await readRdbFile(path, {
      limits: defaultLimits(),
      builders: DISCARD,
      onHeader: (version) => lines.push(`[offset 9] RDB version ${version}`),
      onAux: (k, v, offset) => lines.push(`[offset ${offset}] AUX FIELD ${k} = '${v}'`),
      onSelectDb: (db, offset) => lines.push(`[offset ${offset}] Selecting DB ID ${db}`),
      onEmptyKey: () => empty++,
      onKey(db, _key, _value, expireAt) {
        keys++;
        perDb.set(db, (perDb.get(db) ?? 0) + 1);
        if (expireAt !== -1) {
          expires++;
          if (expireAt < now) expired++;
        }
      },
    });
    const at = `[offset ${result.endOffset}]`;
    switch (result.checksum) {
      case "ok":
        lines.push(`${at} Checksum OK`);
        break;
      case "disabled":
        lines.push(`${at} RDB file was saved with checksum disabled: no check performed.`);
        break;
      default:
        lines.push(`${at} RDB version ${result.version} has no checksum`);
    }
    lines.push(`${at} \\o/ RDB looks OK! \\o/`);
  } catch (e) {
    ok = false;
    lines.push("--- RDB ERROR DETECTED ---");
    if (e instanceof RdbError) {
      lines.push(`[offset ${e.offset}] ${e.detail}`);
    } else if (e instanceof Deno.errors.NotFound) {
      lines.push(`Cannot open ${path}: ${(e as Error).message}`);
    } else {
      lines.push(`[error] ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  lines.push(`[info] ${keys} keys read`);
  lines.push(`[info] ${expires} expires`);
  lines.push(`[info] ${expired} already expired`);
  if (empty > 0) lines.push(`[info] ${empty} empty keys skipped`);
  for (const [db, n] of [...perDb].sort((a, b) => a[0] - b[0])) {
    lines.push(`[info] db${db}: ${n} keys`);
  }
  return { ok, report: lines.join("\n") + "\n" };
}
