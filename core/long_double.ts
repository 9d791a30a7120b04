/**
 * C `long double` as Redis on x86-64 sees it: the x87 80-bit extended format
 * (64-bit mantissa, 15-bit exponent), for INCRBYFLOAT.
 *
 * Redis parses the stored value and the increment with `strtold`, adds them
 * in `long double` and stores the sum printed with `"%.17Lf"` minus trailing
 * zeros (`ld2string` with `LD_STR_HUMAN`). Doing that in JavaScript doubles
 * gives different digits (10.5 + 0.1 prints 10.6 only because the extra 11
 * bits round away), so values here are exact binary numbers kept as BigInt
 * mantissas and rounded exactly where the hardware rounds: when parsing and
 * after the addition (round to nearest, ties to even).
 *
 * @module
 */

/** A finite long double: `(-1)^negative × mantissa × 2^exponent`, mantissa < 2^64. */
export interface FiniteLongDouble {
  /** Sign (kept for -0, which prints as "0" anyway). */
  readonly negative: boolean;
  /** Significand, 0 ≤ mantissa < 2^64; 0 means zero. */
  readonly mantissa: bigint;
  /** Binary exponent of the mantissa's lowest bit. */
  readonly exponent: number;
}

/** An infinite long double. */
export interface InfiniteLongDouble {
  /** Tag. */
  readonly infinite: true;
  /** -inf when set. */
  readonly negative: boolean;
}

/** A long double: finite, or an infinity (NaN never gets this far). */
export type LongDouble = FiniteLongDouble | InfiniteLongDouble;

/** Longest text `string2ld` accepts (Redis's MAX_LONG_DOUBLE_CHARS minus the terminator). */
const MAX_TEXT = 5 * 1024 - 1;
const MANTISSA_BITS = 64;
/** Exponent of the lowest mantissa bit of subnormals and of the smallest normal (2^-16382). */
const MIN_EXPONENT = -16445;
/** Exponent of the lowest mantissa bit of the largest finite value. */
const MAX_EXPONENT = 16320;

const TWO_64 = 1n << 64n;
const ZERO: FiniteLongDouble = { negative: false, mantissa: 0n, exponent: 0 };
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/** True when `x` is an infinity. */
export function isInfinite(x: LongDouble): x is InfiniteLongDouble {
  return "infinite" in x;
}

/**
 * Parses `text` as Redis's `string2ld` does (strtold plus Redis's checks).
 * Returns null when Redis would reply "value is not a valid float": empty or
 * over-long text, leading space, trailing bytes, NaN, overflow to infinity,
 * or a nonzero value that underflows to zero. `inf` and `-inf` are accepted.
 */
export function parseLongDouble(text: string): LongDouble | null {
  if (text.length === 0 || text.length > MAX_TEXT) return null;
  const inf = INFINITY.exec(text);
  if (inf !== null) return { infinite: true, negative: inf[1] === "-" };
  const hex = HEX.exec(text);
  if (hex !== null) return parseHex(hex);
  const dec = DECIMAL.exec(text);
  if (dec !== null) return parseDecimal(dec);
  return null;
}

function parseDecimal(m: RegExpExecArray): LongDouble | null {
  const [, sign, intPart, fracPart = "", expText = "0"] = m;
  if (intPart.length === 0 && fracPart.length === 0) return null;
  const negative = sign === "-";
  const allDigits = (intPart + fracPart).replace(/^0+/, "");
  if (allDigits.length === 0) return { negative, mantissa: 0n, exponent: 0 };
  const digits = allDigits.replace(/0+$/, "");
  // value = digits × 10^scale
  const scale = clampExponent(expText) - fracPart.length + (allDigits.length - digits.length);
  const leading = scale + digits.length - 1; // decimal exponent of the first digit
  if (leading > 4933) return null; // beyond 1.19e4932: overflow
  if (leading < -4952) return null; // below half the smallest subnormal: underflow to zero
  const d = BigInt(digits);
  const result = scale >= 0
    ? roundRational(negative, d * 10n ** BigInt(scale), 1n, 0)
    : roundRational(negative, d, 10n ** BigInt(-scale), 0);
  return acceptParsed(result);
}

function parseHex(m: RegExpExecArray): LongDouble | null {
  const [, sign, intPart, fracPart = "", expText = "0"] = m;
  if (intPart.length === 0 && fracPart.length === 0) return null;
  const negative = sign === "-";
  const h = BigInt("0x" + (intPart + fracPart || "0"));
  if (h === 0n) return { negative, mantissa: 0n, exponent: 0 };
  const exponent = clampExponent(expText) - 4 * fracPart.length;
  const top = bitLength(h) + exponent;
  if (top > 16400) return null;
  if (top < -16500) return null;
  return acceptParsed(roundRational(negative, h, 1n, exponent));
}

/** strtold's ERANGE results are refused: infinity from overflow, zero from underflow. */
function acceptParsed(x: LongDouble): LongDouble | null {
  if (isInfinite(x)) return null;
  if (x.mantissa === 0n) return null;
  return x;
}

/** An exponent's digits as a number, clamped far beyond any meaningful range. */
function clampExponent(text: string): number {
  const n = Number(text);
  return Math.max(-1e6, Math.min(1e6, n));
}

/** Adds two long doubles with one rounding, as the x87 FPU does. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | "nan" {
  if (isInfinite(a) || isInfinite(b)) {
    if (isInfinite(a) && isInfinite(b) && a.negative !== b.negative) return "nan";
    return isInfinite(a) ? a : b;
  }
  if (a.mantissa === 0n) {
    return b.mantissa === 0n ? { ...b, negative: a.negative && b.negative } : b;
  }
  if (b.mantissa === 0n) return a;
  const low = Math.min(a.exponent, b.exponent);
  const x = (a.negative ? -a.mantissa : a.mantissa) << BigInt(a.exponent - low);
  const y = (b.negative ? -b.mantissa : b.mantissa) << BigInt(b.exponent - low);
  const sum = x + y;
  if (sum === 0n) return ZERO;
  return roundRational(sum < 0n, sum < 0n ? -sum : sum, 1n, low);
}

/**
 * Rounds `num / den × 2^shift` (num, den > 0) to the nearest long double,
 * ties to even, with subnormals and overflow to infinity.
 */
function roundRational(negative: boolean, num: bigint, den: bigint, shift: number): LongDouble {
  if (num === 0n) return { negative, mantissa: 0n, exponent: 0 };
  // num/den lies in (2^(bn-bd-1), 2^(bn-bd+1)), so with this e the quotient
  // has 64 or 65 bits; one more halving fixes the 65-bit case.
  let e = bitLength(num) - bitLength(den) - MANTISSA_BITS;
  if (e + shift < MIN_EXPONENT) e = MIN_EXPONENT - shift;
  let [q, r, d] = scaledQuotient(num, den, e);
  if (q >= TWO_64) {
    e++;
    [q, r, d] = scaledQuotient(num, den, e);
  }
  const twice = r * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  if (q === TWO_64) {
    q >>= 1n;
    e++;
  }
  const exponent = e + shift;
  if (exponent > MAX_EXPONENT) return { infinite: true, negative };
  return { negative, mantissa: q, exponent };
}

/** floor(num / den / 2^e), the remainder, and the divisor the remainder is relative to. */
function scaledQuotient(num: bigint, den: bigint, e: number): [bigint, bigint, bigint] {
  if (den === 1n) {
    // Sums and binary inputs: shifts instead of divisions.
    if (e <= 0) return [num << BigInt(-e), 0n, 1n];
    const bits = BigInt(e);
    const q = num >> bits;
    return [q, num - (q << bits), 1n << bits];
  }
  if (e >= 0) {
    const d = den << BigInt(e);
    return [num / d, num % d, d];
  }
  const n = num << BigInt(-e);
  return [n / den, n % den, den];
}

/** Number of bits of positive `n` (hex digits are 4 bits each, the first one fewer). */
function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(parseInt(hex[0], 16));
}

const TEN_17 = 10n ** 17n;

/**
 * Prints `x` as Redis's `ld2string(..., LD_STR_HUMAN)`: `"%.17Lf"` (glibc's
 * exact decimal expansion, rounded half to even at 17 decimals), trailing
 * zeros and a bare point removed, "-0" turned into "0"; infinities as
 * `inf`/`-inf`.
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (isInfinite(x)) return x.negative ? "-inf" : "inf";
  let text: string;
  if (x.exponent >= 0) {
    text = (x.mantissa << BigInt(x.exponent)).toString();
  } else {
    const shift = BigInt(-x.exponent);
    const scaled = x.mantissa * TEN_17;
    let q = scaled >> shift;
    const r = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
    const digits = q.toString().padStart(18, "0");
    const intPart = digits.slice(0, -17);
    const fraction = digits.slice(-17).replace(/0+$/, "");
    text = fraction.length > 0 ? intPart + "." + fraction : intPart;
  }
  if (!x.negative || text === "0") return text;
  return "-" + text;
}

/**
 * INCRBYFLOAT's arithmetic on texts: parses `current` (null: the key is
 * missing, counted as 0) and `increment`, adds them, and returns the new
 * stored text, `"invalid"` when either is not a valid float, or `"nan"` when
 * the sum is NaN or infinite.
 */
export function incrByFloatText(
  current: string | null,
  increment: string,
): string | "invalid" | "nan" {
  const a = current === null ? ZERO : parseLongDouble(current);
  if (a === null) return "invalid";
  const b = parseLongDouble(increment);
  if (b === null) return "invalid";
  const sum = addLongDouble(a, b);
  if (sum === "nan" || isInfinite(sum)) return "nan";
  return formatLongDoubleHuman(sum);
}
