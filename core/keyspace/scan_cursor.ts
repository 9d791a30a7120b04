/**
 * Cursors for SCAN over a key table.
 *
 * Redis's guarantee: an element present for the whole iteration is returned
 * at least once, even while the collection grows or shrinks; duplicates are
 * allowed. The key table's shards (KeyMap) give it by iterating over a copy
 * of their keys and skipping those deleted since. So a cursor is a token
 * naming a suspended iterator, kept in a bounded cache. (Collections scan
 * by position instead: see StringTable.scan.)
 *
 * A source is a sequence of "segments" (the shards of a key table). The
 * segment index is part of the cursor, so a cursor whose
 * iterator was evicted from the cache restarts at the beginning of its
 * segment: that can return duplicates, never miss an element.
 *
 * @module
 */

/** Something to scan: numbered segments, each iterable. */
export interface ScanSource<T> {
  /** Number of segments. */
  readonly segmentCount: number;
  /** A fresh iterator over segment `index`. */
  segment(index: number): Iterator<T>;
}

const TOKEN_SPACE = 1 << 20;
const CACHE_LIMIT = 4096;

interface Suspended {
  owner: object;
  segment: number;
  iterator: Iterator<unknown>;
}

const suspended = new Map<number, Suspended>();
let nextToken = 1;

/**
 * Parses a cursor argument like Redis (`parseScanCursorOrReply`): an unsigned
 * decimal. Returns null when invalid ("ERR invalid cursor").
 */
export function parseCursor(text: string): number | null {
  if (!/^[0-9]+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Visits up to `count` elements of `source` (whose identity is `owner`: the
 * key table or the collection value) starting at `cursor` and returns
 * the cursor to continue from (0 when the iteration is complete). `visit` is
 * called for each element; filtering (MATCH, TYPE) happens there, so `count`
 * bounds the work, as in Redis, not the number of matches.
 */
export function scanStep<T>(
  owner: object,
  source: ScanSource<T>,
  cursor: number,
  count: number,
  visit: (item: T) => void,
): number {
  let segment: number;
  let iterator: Iterator<T>;
  const found = cursor === 0 ? undefined : suspended.get(cursor % TOKEN_SPACE);
  if (found !== undefined && found.owner === owner) {
    suspended.delete(cursor % TOKEN_SPACE);
    segment = found.segment;
    iterator = found.iterator as Iterator<T>;
  } else {
    segment = Math.floor(cursor / TOKEN_SPACE);
    if (segment >= source.segmentCount) return 0;
    iterator = source.segment(segment);
  }
  let visited = 0;
  while (true) {
    const step = iterator.next();
    if (step.done) {
      segment++;
      if (segment >= source.segmentCount) return 0;
      iterator = source.segment(segment);
      // Stop at a segment boundary once enough work is done: the next cursor
      // then needs no cached iterator.
      if (visited >= count) return segment * TOKEN_SPACE;
      continue;
    }
    visit(step.value);
    if (++visited >= count) break;
  }
  const token = nextToken;
  nextToken = nextToken + 1 >= TOKEN_SPACE ? 1 : nextToken + 1;
  suspended.delete(token);
  suspended.set(token, { owner, segment, iterator });
  if (suspended.size > CACHE_LIMIT) {
    suspended.delete(suspended.keys().next().value!);
  }
  return segment * TOKEN_SPACE + token;
}
