/**
 * The timeout argument of every blocking command (BLPOP ... BZMPOP), parsed
 * as Redis's `getTimeoutFromObjectOrReply` does: a long double number of
 * seconds, converted to milliseconds with `ceill`.
 *
 * @module
 */

import type { Client } from "../client.ts";
import { isInfinite, parseLongDouble } from "../long_double.ts";

const LONG_MAX = 2 ** 63;

/**
 * Parses a blocking timeout in seconds as Redis does (`strtold`, then
 * `ceill(t * 1000)` converted to a 64-bit integer). Returns the deadline in
 * Unix ms (0: wait forever), or null after replying with the error.
 */
export function parseBlockingTimeout(c: Client, text: string): number | null {
  const seconds = parseLongDouble(text);
  if (seconds === null) {
    c.reply.error("ERR timeout is not a float or out of range");
    return null;
  }
  const ms = isInfinite(seconds)
    ? null
    : ceilMillis(seconds.negative, seconds.mantissa, seconds.exponent);
  // Values beyond 64 bits convert to INT64_MIN on x86-64, hence "negative".
  if (ms === null || ms < 0n) {
    c.reply.error("ERR timeout is negative");
    return null;
  }
  return ms === 0n ? 0 : c.core.now() + Number(ms);
}

/**
 * `ceill(x * 1000)` for the long double ±mantissa·2^exponent, with the
 * product rounded to 64 bits as the x87 does; null beyond the int64 range.
 */
function ceilMillis(negative: boolean, mantissa: bigint, exponent: number): bigint | null {
  let product = mantissa * 1000n;
  let exp = exponent;
  const bits = product.toString(2).length;
  if (bits > 64) {
    const shift = BigInt(bits - 64);
    let q = product >> shift;
    const rest = product - (q << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q++;
    product = q;
    exp += Number(shift);
  }
  let magnitude: bigint;
  if (exp >= 0) {
    if (exp > 70) return null;
    magnitude = product << BigInt(exp);
  } else if (exp < -80) {
    magnitude = product === 0n ? 0n : negative ? 0n : 1n;
    return negative ? -magnitude : magnitude;
  } else {
    const unit = 1n << BigInt(-exp);
    const whole = product / unit;
    const exact = whole * unit === product;
    // Ceil rounds positive fractions up and negative ones towards zero.
    magnitude = negative || exact ? whole : whole + 1n;
  }
  const ms = negative ? -magnitude : magnitude;
  if (ms >= BigInt(LONG_MAX) || ms < -BigInt(LONG_MAX)) return null;
  return ms;
}
