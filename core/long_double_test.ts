import { deepEqual, equal } from "node:assert/strict";
import {
  addLongDouble,
  type FiniteLongDouble,
  formatLongDoubleHuman,
  incrByFloatText,
  type LongDouble,
  parseLongDouble,
} from "./long_double.ts";

// Expected texts are redis-server 7.0.15's INCRBYFLOAT replies (x86-64, glibc):
// [stored value (null: no key), increment, reply ("invalid"/"nan": the two errors)].
const REDIS_REPLIES: [string | null, string, string][] = [
  ["10.5", "0.1", "10.6"],
  ["3.0e3", "200", "3200"],
  [null, "10.5", "10.5"],
  ["1.5", "1", "2.5"],
  [null, "0.000003814697265625", "0.00000381469726562"], // exact tie: to even
  [null, "0.000011444091796875", "0.00001144409179688"], // exact tie: to even
  [null, "-0.000003814697265625", "-0.00000381469726562"],
  [null, "0x1p-18", "0.00000381469726562"],
  [null, "1e-17", "0.00000000000000001"],
  [null, "5e-18", "0"],
  [null, "-5e-18", "0"],
  [null, "1e17", "100000000000000000"],
  [null, "12345678901234567890", "12345678901234567890"],
  ["9223372036854775807", "1", "9223372036854775808"],
  [null, "-0.1", "-0.1"],
  ["0.1", "0.2", "0.3"],
  ["0.3", "-0.1", "0.2"],
  [null, "+.5", "0.5"],
  [null, "1.", "1"],
  [null, ".5e1", "5"],
  [null, "0X1.8P1", "3"],
  ["-0", "-0", "0"],
  ["1.00000000000000000001", "0", "1"],
  ["00000001", "0", "1"],
  ["0e99999999999999", "1", "1"],
  ["1e-4950", "0", "0"],
  ["1.8e-4951", "0", "invalid"],
  ["0x1p-16446", "0", "invalid"],
  ["0x1.8p-16446", "0", "0"],
  ["0x1p16384", "0", "invalid"],
  ["1e4932", "1e4932", "nan"],
  ["-1e4932", "-1e4932", "nan"],
  ["1e4932", "-1e4932", "0"],
  ["1.1897314953572317650e4932", "1e4931", "nan"],
  ["inf", "-inf", "nan"],
  ["1", "inf", "nan"],
  [null, "nan", "invalid"],
  [null, "1e", "invalid"],
  [null, "", "invalid"],
  [null, " 1", "invalid"],
  [null, "1 ", "invalid"],
  [null, "0x", "invalid"],
  ["abc", "1", "invalid"],
];

Deno.test("INCRBYFLOAT arithmetic reproduces redis-server's replies", () => {
  for (const [current, increment, expected] of REDIS_REPLIES) {
    equal(incrByFloatText(current, increment), expected, `${current} + ${increment}`);
  }
});

Deno.test("large sums print every digit of the 80-bit value, as %.17Lf does", () => {
  equal(
    incrByFloatText(null, "1.7976931348623157e308"),
    "179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384",
  );
  const big = incrByFloatText("1e400", "1e-400");
  equal(
    typeof big === "string" && big.startsWith("10000000000000000000281880683947586514586453433629"),
    true,
  );
  equal(big.length, 401);
});

Deno.test("parseLongDouble rounds to 64 mantissa bits and keeps subnormals", () => {
  deepEqual(parseLongDouble("1"), { negative: false, mantissa: 1n << 63n, exponent: -63 });
  deepEqual(parseLongDouble("-2"), { negative: true, mantissa: 1n << 63n, exponent: -62 });
  // 2^64 + 1 needs 65 bits: the last one rounds away (tie to even).
  const x = parseLongDouble("18446744073709551617") as FiniteLongDouble;
  equal(x.mantissa, 1n << 63n);
  equal(x.exponent, 1);
  const tiny = parseLongDouble("0x1p-16445") as FiniteLongDouble;
  deepEqual([tiny.mantissa, tiny.exponent], [1n, -16445]);
  equal(parseLongDouble("inf") !== null, true);
  equal(parseLongDouble("nan"), null);
});

Deno.test("addLongDouble rounds once and reports inf - inf as NaN", () => {
  const one = parseLongDouble("1")!;
  const eps = parseLongDouble("0x1p-64")!; // half an ulp of 1: the tie goes to even (1)
  equal(formatLongDoubleHuman(addLongDouble(one, eps) as LongDouble), "1");
  equal(addLongDouble(parseLongDouble("inf")!, parseLongDouble("-inf")!), "nan");
});
