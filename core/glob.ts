/**
 * Redis's glob-style pattern matching (`stringmatchlen` in util.c), used by
 * KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE and friends.
 *
 * Patterns and texts are byte strings (see core/bytes.ts). The rules:
 * - `*` matches any run of bytes (also an empty one), `?` any single byte;
 * - `[abc]`, `[a-z]` (reversed ranges are swapped), `[^...]` negates, and
 *   `\x` inside brackets is a literal `x`; an unclosed `[` ends at the end of
 *   the pattern;
 * - `\x` outside brackets matches `x` literally; a trailing `\` matches a
 *   backslash.
 *
 * Quirks kept on purpose, because clients see them: bytes compare as C's
 * signed `char`, so a range such as `[a-\xff]` covers what Redis covers; and
 * a pattern never matches an empty text unless it is itself empty (KEYS and
 * SCAN treat the pattern `*` specially for that reason).
 *
 * @module
 */

/** Set when a `*` found no way to match the rest: earlier stars cannot do better. */
let skipLongerMatches = false;

/**
 * True when `text` matches the glob `pattern` as Redis's `stringmatchlen`
 * decides; `nocase` folds ASCII letters (CONFIG GET and friends).
 */
export function globMatch(pattern: string, text: string, nocase = false): boolean {
  skipLongerMatches = false;
  return matchFrom(pattern, 0, text, 0, nocase);
}

/** The byte at `i` as C's signed char, or 0 past the end (the terminator C reads there). */
function signedAt(s: string, i: number): number {
  if (i >= s.length) return 0;
  const b = s.charCodeAt(i);
  return b >= 128 ? b - 256 : b;
}

/** ASCII-only tolower on a signed char value, as the C locale does. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchFrom(pattern: string, p: number, text: string, t: number, nocase: boolean): boolean {
  const plen = pattern.length;
  const tlen = text.length;
  while (p < plen && t < tlen) {
    const pc = pattern.charCodeAt(p);
    if (pc === 42 /* '*' */) {
      while (p + 1 < plen && pattern.charCodeAt(p + 1) === 42) p++;
      if (p + 1 === plen) return true;
      while (t < tlen) {
        if (matchFrom(pattern, p + 1, text, t, nocase)) return true;
        if (skipLongerMatches) return false;
        t++;
      }
      skipLongerMatches = true;
      return false;
    } else if (pc === 63 /* '?' */) {
      t++;
    } else if (pc === 91 /* '[' */) {
      p = matchBracket(pattern, p + 1, signedAt(text, t), nocase);
      if (p < 0) return false;
      t++;
    } else {
      if (pc === 92 /* '\\' */ && plen - p >= 2) p++;
      const a = signedAt(pattern, p);
      const b = signedAt(text, t);
      if (nocase ? lower(a) !== lower(b) : a !== b) return false;
      t++;
    }
    p++;
    if (t === tlen) {
      while (p < plen && pattern.charCodeAt(p) === 42) p++;
      break;
    }
  }
  return p === plen && t === tlen;
}

/**
 * Matches byte `c` against the bracket expression starting at `p` (just
 * after `[`). Returns the index of the closing `]` (or of the last pattern
 * byte when unclosed), or -1 when `c` does not match.
 */
function matchBracket(pattern: string, p: number, c: number, nocase: boolean): number {
  const plen = pattern.length;
  const negate = signedAt(pattern, p) === 94; // '^'
  if (negate) p++;
  let match = false;
  while (true) {
    const left = plen - p;
    const pc = signedAt(pattern, p);
    if (pc === 92 /* '\\' */ && left >= 2) {
      p++;
      if (signedAt(pattern, p) === c) match = true;
    } else if (pc === 93 /* ']' */ && left > 0) {
      break;
    } else if (left <= 0) {
      p--;
      break;
    } else if (left >= 3 && signedAt(pattern, p + 1) === 45 /* '-' */) {
      let start = pc;
      let end = signedAt(pattern, p + 2);
      let x = c;
      if (start > end) [start, end] = [end, start];
      if (nocase) {
        start = lower(start);
        end = lower(end);
        x = lower(x);
      }
      p += 2;
      if (x >= start && x <= end) match = true;
    } else if (nocase ? lower(pc) === lower(c) : pc === c) {
      match = true;
    }
    p++;
  }
  if (negate) match = !match;
  return match ? p : -1;
}
