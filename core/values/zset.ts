/**
 * The sorted set value type.
 *
 * Contract used outside the sorted set commands (RDB codec, AOF rewrite,
 * DEBUG DIGEST, SORT, blocking pops) — keep these names and meanings:
 * - `readonly type = "zset"`, `get size(): number`
 * - `entries(): IterableIterator<[member: string, score: number]>`: ascending score order
 * - `score(member: string): number | undefined`
 * - `encoding(limits: EncodingLimits): string`: "listpack" or "skiplist", as Redis 7.0 says
 * - `static fromEntries(entries: Iterable<[string, number]>, limits: EncodingLimits): ZSetValue`
 *
 * Layout: a {@link ScoreTree} keeps the pairs in (score, member) order with
 * O(log n) rank, select and range search; a `Map` from member to score
 * answers ZSCORE in O(1). Small sets skip the map and search the tree's
 * single leaf, as Redis searches its listpack.
 *
 * The encoding Redis would report is tracked as state: Redis converts a
 * listpack to a skip list when it grows past the limits, and only a few
 * commands (the STORE variants, loading) ever build a listpack again.
 *
 * @module
 */

import type { EncodingLimits } from "./limits.ts";
import { compareKeys, ScoreTree, TreeCursor } from "./score_tree.ts";
import { StringTable } from "./string_table.ts";

export { TreeCursor };

/** Sorted sets up to this size have no member→score index. */
const SMALL_ZSET = 64;

/** Member → score lookup: a compact string table with the scores alongside. */
class ScoreIndex {
  readonly table: StringTable = new StringTable();
  readonly scores: number[] = [];

  get(member: string): number | undefined {
    const pos = this.table.indexOf(member);
    return pos < 0 ? undefined : this.scores[pos];
  }

  add(member: string, score: number): void {
    this.table.add(member);
    this.scores.push(score);
  }

  /** Changes the score of a member that is present. */
  set(member: string, score: number): void {
    this.scores[this.table.indexOf(member)] = score;
  }

  delete(member: string): void {
    const pos = this.table.indexOf(member);
    if (pos < 0) return;
    const moved = this.table.removeAt(pos);
    if (moved >= 0) this.scores[pos] = this.scores[moved];
    this.scores.pop();
  }
}

/** A sorted set value. */
export class ZSetValue {
  /** Type tag used to tell values apart without instanceof. */
  readonly type = "zset" as const;

  #tree: ScoreTree;
  #scores: ScoreIndex | null = null;
  #listpack: boolean;

  /** An empty sorted set; `listpack` is the encoding it starts with. */
  constructor(listpack = true) {
    this.#tree = new ScoreTree();
    this.#listpack = listpack;
  }

  /**
   * An empty sorted set as ZADD creates one for its first member: a
   * listpack unless the limits rule it out from the start.
   */
  static forFirstMember(member: string, limits: EncodingLimits): ZSetValue {
    return new ZSetValue(
      limits.zsetMaxListpackEntries > 0 && member.length <= limits.zsetMaxListpackValue,
    );
  }

  /** Number of members. */
  get size(): number {
    return this.#tree.size;
  }

  /** Members and scores in ascending score order. */
  entries(): IterableIterator<[string, number]> {
    return this.#tree.entries();
  }

  /** Calls `fn` for each member in ascending score order. */
  forEach(fn: (member: string, score: number) => void): void {
    this.#tree.forEach(fn);
  }

  /** Calls `fn` for each member in descending score order. */
  forEachDescending(fn: (member: string, score: number) => void): void {
    for (const c = this.#tree.cursorAt(this.#tree.size - 1); c.valid; c.prev()) {
      fn(c.member, c.score);
    }
  }

  /** The score of `member`, or undefined. */
  score(member: string): number | undefined {
    if (this.#scores !== null) return this.#scores.get(member);
    return this.#tree.scanForScore(member);
  }

  /** OBJECT ENCODING as Redis 7.0 reports it. */
  encoding(_limits: EncodingLimits): string {
    return this.#listpack ? "listpack" : "skiplist";
  }

  /** True while Redis would keep this set in a listpack. */
  get isListpack(): boolean {
    return this.#listpack;
  }

  /**
   * Builds a sorted set as a loader would, and as the STORE commands build
   * their results: a listpack when the count and every member fit the limits.
   */
  static fromEntries(entries: Iterable<[string, number]>, limits: EncodingLimits): ZSetValue {
    const unique = new Map<string, number>();
    for (const [member, score] of entries) unique.set(member, score);
    const pairs = [...unique];
    pairs.sort((a, b) => compareKeys(a[1], a[0], b[1], b[0]));
    let longest = 0;
    const members = new Array<string>(pairs.length);
    const scores = new Array<number>(pairs.length);
    for (let i = 0; i < pairs.length; i++) {
      members[i] = pairs[i][0];
      scores[i] = pairs[i][1];
      if (members[i].length > longest) longest = members[i].length;
    }
    const listpack = pairs.length <= limits.zsetMaxListpackEntries &&
      longest <= limits.zsetMaxListpackValue;
    if (listpack) {
      // A listpack stores -0 as the integer 0.
      for (let i = 0; i < scores.length; i++) if (scores[i] === 0) scores[i] = 0;
    }
    const zset = new ZSetValue(listpack);
    zset.#tree = ScoreTree.fromSorted(members, scores);
    if (pairs.length > SMALL_ZSET) zset.#buildIndex();
    return zset;
  }

  /**
   * A copy with the same members and the same encoding (COPY: Redis
   * duplicates a listpack as it is and a skip list as a skip list).
   */
  clone(): ZSetValue {
    const members: string[] = [];
    const scores: number[] = [];
    this.#tree.forEach((m, s) => {
      members.push(m);
      scores.push(s);
    });
    const copy = new ZSetValue(this.#listpack);
    copy.#tree = ScoreTree.fromSorted(members, scores);
    if (members.length > SMALL_ZSET) copy.#buildIndex();
    return copy;
  }

  /** Adds a member that is not in the set, converting to a skip list as Redis would. */
  insert(member: string, score: number, limits: EncodingLimits): void {
    if (
      this.#listpack &&
      (this.#tree.size + 1 > limits.zsetMaxListpackEntries ||
        member.length > limits.zsetMaxListpackValue)
    ) {
      this.#listpack = false;
    }
    if (this.#listpack && score === 0) score = 0; // a listpack stores -0 as the integer 0
    this.#tree.insert(score, member);
    if (this.#scores !== null) this.#scores.add(member, score);
    else if (this.#tree.size > SMALL_ZSET) this.#buildIndex();
  }

  /** Changes the score of an existing member from `oldScore` to `newScore`. */
  updateScore(member: string, oldScore: number, newScore: number): void {
    if (this.#listpack && newScore === 0) newScore = 0; // a listpack stores -0 as the integer 0
    this.#tree.delete(oldScore, member);
    this.#tree.insert(newScore, member);
    if (this.#scores !== null) this.#scores.set(member, newScore);
  }

  /** Removes `member`; returns false when it was not there. */
  delete(member: string): boolean {
    const score = this.score(member);
    if (score === undefined) return false;
    this.#tree.delete(score, member);
    if (this.#scores !== null) this.#scores.delete(member);
    return true;
  }

  /** 0-based rank of `member` in ascending order, or -1 when absent. */
  rank(member: string): number {
    const score = this.score(member);
    return score === undefined ? -1 : this.#tree.rank(score, member);
  }

  /** Number of members with a score below `limit` (at most `limit` when `inclusive`). */
  countScoreBelow(limit: number, inclusive: boolean): number {
    return this.#tree.countScoreBelow(limit, inclusive);
  }

  /** Number of members below `limit` in byte order (at most, when `inclusive`). */
  countMemberBelow(limit: string, inclusive: boolean): number {
    return this.#tree.countMemberBelow(limit, inclusive);
  }

  /** A cursor on the member of 0-based `rank`; step it with next()/prev(). */
  cursorAt(rank: number): TreeCursor {
    return this.#tree.cursorAt(rank);
  }

  /** Removes the `count` members starting at 0-based `start` in ascending order. */
  removeRange(start: number, count: number): void {
    if (count <= 0) return;
    const members: string[] = [];
    const scores: number[] = [];
    const c = this.#tree.cursorAt(start);
    for (let i = 0; i < count && c.valid; i++, c.next()) {
      members.push(c.member);
      scores.push(c.score);
    }
    const index = this.#scores;
    if (index !== null) { for (const m of members) index.delete(m); }
    if (members.length * 4 <= this.#tree.size) {
      for (let i = 0; i < members.length; i++) this.#tree.delete(scores[i], members[i]);
      return;
    }
    // Removing a large part: rebuilding in bulk beats one deletion at a time.
    const keepMembers: string[] = [];
    const keepScores: number[] = [];
    let rank = 0;
    const end = start + members.length;
    this.#tree.forEach((m, s) => {
      if (rank < start || rank >= end) {
        keepMembers.push(m);
        keepScores.push(s);
      }
      rank++;
    });
    this.#tree = ScoreTree.fromSorted(keepMembers, keepScores);
  }

  /** Removes and returns the lowest (or, with `highest`, the highest) pair; the set must not be empty. */
  pop(highest: boolean): [string, number] {
    const c = this.#tree.cursorAt(highest ? this.#tree.size - 1 : 0);
    const member = c.member;
    const score = c.score;
    this.#tree.delete(score, member);
    if (this.#scores !== null) this.#scores.delete(member);
    return [member, score];
  }

  /** A random pair (the set must not be empty). */
  random(): [string, number] {
    const c = this.#tree.cursorAt(Math.floor(Math.random() * this.#tree.size));
    return [c.member, c.score];
  }

  /** Makes the set report "skiplist" from now on (SORT converts sorted sets so). */
  convertToSkiplist(): void {
    this.#listpack = false;
  }

  /**
   * True when ZSCAN returns the set in one step: a listpack in Redis (or a
   * set too small here to have an index).
   */
  get scansWhole(): boolean {
    return this.#listpack || this.#scores === null;
  }

  /**
   * One ZSCAN step over a set that does not scan whole: visits up to `count`
   * members from `cursor`, returns the next cursor (0 when done). Every
   * member present for the whole scan is visited at least once.
   */
  scan(cursor: number, count: number, visit: (member: string, score: number) => void): number {
    const index = this.#scores!;
    const { table, scores } = index;
    return table.scan(cursor, count, (pos) => visit(table.keys[pos], scores[pos]));
  }

  #buildIndex(): void {
    const index = new ScoreIndex();
    this.#tree.forEach((m, s) => index.add(m, s));
    this.#scores = index;
  }
}
