/**
 * Numbers as Redis parses and prints them.
 *
 * Redis is strict about what counts as an integer (`string2ll`: no sign but
 * `-`, no leading zeros, no spaces, 64-bit range) and accepts as a float what
 * C's `strtod` accepts (`inf`, hex floats, no leading space, no overflow).
 * Replies print doubles with `%.17g`. These functions reproduce those rules
 * so that replies and stored values are byte-identical to Redis's.
 *
 * @module
 */

/** Largest and smallest 64-bit signed integers, as BigInt. */
export const INT64_MAX = 9223372036854775807n;
/** Smallest 64-bit signed integer. */
export const INT64_MIN = -9223372036854775808n;

/**
 * Parses a canonical decimal 64-bit integer (Redis's `string2ll`).
 *
 * Returns a number when the value is a safe JavaScript integer, a bigint when
 * it is a valid int64 beyond 2^53, and `null` when the text is not a
 * canonical integer or is out of range.
 */
export function parseInt64(s: string): number | bigint | null {
  const len = s.length;
  if (len === 0 || len >= 21) return null;
  let i = 0;
  const negative = s.charCodeAt(0) === 45; // '-'
  if (negative) {
    if (len === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* '0' */) return len === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  if (len - i <= 15) {
    // At most 15 digits always fit in a double exactly.
    let v = first - 48;
    for (i++; i < len; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      v = v * 10 + c;
    }
    return negative ? -v : v;
  }
  for (let j = i + 1; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  if (big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)) {
    return Number(big);
  }
  return big;
}

/** Parses a canonical int64 and returns it as a bigint, or null (exact, slower than {@link parseInt64}). */
export function parseInt64Big(s: string): bigint | null {
  const v = parseInt64(s);
  return v === null ? null : BigInt(v);
}

/** True when `s` is exactly how Redis would print some 64-bit integer. */
export function isCanonicalInt64(s: string): boolean {
  return parseInt64(s) !== null;
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_OR_NAN = /^([+-]?)(inf|infinity|nan(?:\([0-9a-zA-Z_]*\))?)$/i;

/**
 * Parses a float the way Redis's `string2d` does (C `strtod` plus Redis's
 * checks): no leading space, no trailing bytes, no NaN, no overflow to
 * infinity and no underflow to zero. Returns `null` when Redis would reply
 * "value is not a valid float".
 */
export function parseDouble(s: string): number | null {
  const len = s.length;
  if (len === 0) return null;
  const c0 = s.charCodeAt(0);
  // Fast path for plain digits, the common case.
  if (c0 >= 48 && c0 <= 57 && len <= 15) {
    let v = 0;
    let i = 0;
    for (; i < len; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === len) return v;
  }
  if (DECIMAL_FLOAT.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null; // overflow: strtod returns HUGE_VAL with ERANGE
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ""))) return null; // underflow to zero
    return v;
  }
  const special = INF_OR_NAN.exec(s);
  if (special) {
    if (special[2].toLowerCase().startsWith("nan")) return null;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  const hex = HEX_FLOAT.exec(s);
  if (hex) return parseHexFloat(hex);
  return null;
}

function parseHexFloat(m: RegExpExecArray): number | null {
  const [, sign, intPart, fracPart = "", exp = "0"] = m;
  if (intPart.length === 0 && fracPart.length === 0) return null;
  let v = 0;
  for (const ch of intPart + fracPart) v = v * 16 + parseInt(ch, 16);
  v = v * Math.pow(2, Number(exp) - 4 * fracPart.length);
  if (!Number.isFinite(v)) return null;
  if (v === 0 && /[1-9a-fA-F]/.test(intPart + fracPart)) return null;
  return sign === "-" ? -v : v;
}

/**
 * Formats a double like C's `printf("%.17g")`, which Redis 7.0 uses for
 * double replies (ZSCORE, ZINCRBY, ...) and for scores in RESP rewrites.
 * Infinities print as `inf`/`-inf`, NaN as `nan`.
 */
export function formatDouble17g(d: number): string {
  if (Number.isNaN(d)) return "nan";
  if (d === Infinity) return "inf";
  if (d === -Infinity) return "-inf";
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  const { digits, exponent } = roundToSignificant(d, 17);
  const negative = d < 0;
  let out: string;
  if (exponent < -4 || exponent >= 17) {
    // Exponential form, trailing zeros removed, at least two exponent digits.
    let mantissa = digits[0];
    const rest = digits.slice(1).replace(/0+$/, "");
    if (rest.length > 0) mantissa += "." + rest;
    const e = Math.abs(exponent);
    out = mantissa + (exponent < 0 ? "e-" : "e+") + (e < 10 ? "0" + e : String(e));
  } else if (exponent < 0) {
    out = "0." + "0".repeat(-exponent - 1) + digits.replace(/0+$/, "");
  } else {
    const intPart = digits.slice(0, exponent + 1);
    const frac = digits.slice(exponent + 1).replace(/0+$/, "");
    out = frac.length > 0 ? intPart + "." + frac : intPart;
  }
  return negative ? "-" + out : out;
}

/**
 * Rounds |d| to `precision` significant decimal digits with glibc's rule
 * (the exact binary value, ties to even), returning the digits and the
 * decimal exponent of the first one.
 */
function roundToSignificant(d: number, precision: number): { digits: string; exponent: number } {
  // 40 digits of the exact expansion are enough to see whether the part
  // after the cut is exactly one half (JavaScript itself rounds ties up).
  const wide = Math.abs(d).toExponential(40);
  const ePos = wide.indexOf("e");
  const all = wide[0] + wide.slice(2, ePos);
  let exponent = Number(wide.slice(ePos + 1));
  let digits = all.slice(0, precision);
  const tail = all.slice(precision);
  const roundUp = tail[0] > "5" ||
    (tail[0] === "5" && (/[1-9]/.test(tail.slice(1)) || Number(digits[precision - 1]) % 2 === 1));
  if (roundUp) {
    const bumped = (BigInt(digits) + 1n).toString();
    if (bumped.length > precision) {
      exponent++;
      digits = bumped.slice(0, precision);
    } else {
      digits = bumped;
    }
  }
  return { digits, exponent };
}

/**
 * Formats a double like Redis's `d2string`: integral values that fit a
 * `long long` print as integers, others with `%.17g`.
 */
export function formatDoubleHuman(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) <= 4611686018427387903 && !Object.is(d, -0)) {
    return BigInt(d).toString();
  }
  return formatDouble17g(d);
}
