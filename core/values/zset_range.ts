/**
 * Score and lexicographic ranges of sorted set commands (ZRANGEBYSCORE,
 * ZCOUNT, ZRANGEBYLEX, ZREMRANGEBYLEX, ...), parsed as Redis parses them and
 * turned into rank intervals of a {@link ZSetValue}.
 *
 * Score bounds go through C's `strtod` without Redis's usual float checks,
 * so a bound may have leading blanks, may be empty (zero), may overflow to
 * an infinity; only NaN and trailing bytes are refused. `(` makes a bound
 * exclusive. Lexicographic bounds are `-`, `+`, `(member` or `[member`.
 *
 * @module
 */

import { parseDouble } from "../numbers.ts";
import type { ZSetValue } from "./zset.ts";

/** A score interval. */
export interface ScoreRange {
  /** Lower bound. */
  min: number;
  /** Upper bound. */
  max: number;
  /** The lower bound itself is excluded. */
  minExclusive: boolean;
  /** The upper bound itself is excluded. */
  maxExclusive: boolean;
}

/** One end of a lexicographic interval: `-` and `+` are the infinities. */
export type LexBound =
  | { kind: "-" }
  | { kind: "+" }
  | { kind: "value"; value: string; exclusive: boolean };

/** A lexicographic interval. */
export interface LexRange {
  /** Lower bound. */
  min: LexBound;
  /** Upper bound. */
  max: LexBound;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** C's isspace in the C locale. */
function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Parses `text` as C's `strtod` would when the whole text must be consumed
 * and NaN is refused; returns null otherwise.
 */
export function strtodWhole(text: string): number | null {
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return text.length === 0 ? 0 : null;
  const rest = i === 0 ? text : text.slice(i);
  // strtod lets decimal overflow become an infinity and underflow become zero.
  if (DECIMAL.test(rest)) return Number(rest);
  return parseDouble(rest);
}

function parseScoreBound(text: string): { value: number; exclusive: boolean } | null {
  const exclusive = text.charCodeAt(0) === 40; // '('
  const value = strtodWhole(exclusive ? text.slice(1) : text);
  return value === null ? null : { value, exclusive };
}

/** Parses a score interval; null when Redis replies "min or max is not a float". */
export function parseScoreRange(minText: string, maxText: string): ScoreRange | null {
  const min = parseScoreBound(minText);
  const max = parseScoreBound(maxText);
  if (min === null || max === null) return null;
  return {
    min: min.value,
    max: max.value,
    minExclusive: min.exclusive,
    maxExclusive: max.exclusive,
  };
}

function parseLexBound(text: string): LexBound | null {
  switch (text.charCodeAt(0)) {
    case 43: // '+'
      return text.length === 1 ? { kind: "+" } : null;
    case 45: // '-'
      return text.length === 1 ? { kind: "-" } : null;
    case 40: // '('
      return { kind: "value", value: text.slice(1), exclusive: true };
    case 91: // '['
      return { kind: "value", value: text.slice(1), exclusive: false };
    default:
      return null;
  }
}

/** Parses a lexicographic interval; null when Redis replies "min or max not valid string range item". */
export function parseLexRange(minText: string, maxText: string): LexRange | null {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  return min === null || max === null ? null : { min, max };
}

/** Ranks `[start, end)` of the members of `zset` whose scores lie in `range`. */
export function scoreRangeRanks(zset: ZSetValue, range: ScoreRange): [number, number] {
  const start = zset.countScoreBelow(range.min, range.minExclusive);
  const end = zset.countScoreBelow(range.max, !range.maxExclusive);
  return [start, Math.max(start, end)];
}

/** Ranks `[start, end)` of the members of `zset` that lie in `range` (byte order). */
export function lexRangeRanks(zset: ZSetValue, range: LexRange): [number, number] {
  const start = lexRank(zset, range.min, true);
  const end = lexRank(zset, range.max, false);
  return [start, Math.max(start, end)];
}

/** Members ordered before the bound: as a lower bound (`lower`) or an exclusive upper end. */
function lexRank(zset: ZSetValue, bound: LexBound, lower: boolean): number {
  if (bound.kind === "-") return 0;
  if (bound.kind === "+") return zset.size;
  // A lower bound skips members below it (and the bound itself when
  // exclusive); an upper bound keeps members up to it (not itself when exclusive).
  return zset.countMemberBelow(bound.value, lower ? bound.exclusive : !bound.exclusive);
}
