/**
 * A deterministic dataset covering every type and encoding Redis 7.0
 * writes, with the edge cases of the RDB encoders: integer widths, LZF on
 * strings of many shapes, multi-node lists, intsets of each width, listpack
 * and big hashes and sorted sets at the exact thresholds, special scores,
 * binary keys, expiries and several databases.
 *
 * `generate.ts` stores it into a real redis-server 7.0.15 and records what
 * Redis makes of it (DUMP payloads, the RDB file, the contents it replies
 * with); the tests build the same data as values and compare.
 *
 * @module
 */

import { formatDouble17g } from "../../../core/numbers.ts";

/** One key of the corpus. */
export type CorpusEntry =
  & { db: number; key: string; expireAt?: number }
  & (
    | { kind: "string"; value: string }
    | { kind: "list"; items: string[] }
    | { kind: "set"; members: string[] }
    | { kind: "hash"; entries: [string, string][] }
    | { kind: "zset"; entries: [string, number][] }
  );

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A byte string of `len` characters drawn from `alphabet` (a byte string). */
function randomString(rand: () => number, len: number, alphabet: string): string {
  let s = "";
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");

/** Strings that exercise the integer encodings and their refusals. */
export const INTEGER_LIKE = [
  "0",
  "1",
  "-1",
  "127",
  "128",
  "-128",
  "-129",
  "255",
  "256",
  "32767",
  "32768",
  "-32768",
  "-32769",
  "2147483647",
  "2147483648",
  "-2147483648",
  "-2147483649",
  "12345678901",
  "-1234567890",
  "9223372036854775807",
  "-9223372036854775808",
  "9223372036854775808",
  "007",
  "-0",
  "+1",
  " 1",
  "1 ",
  "1e3",
  "0x10",
  "",
  "a",
]; // deno-fmt-ignore

/** Strings of many shapes and lengths for LZF (compressible or not). */
export function lzfStrings(): string[] {
  const rand = prng(20240607);
  const out: string[] = [];
  const alphabets = ["a", "ab", "abcd", "abcdefghijklmnop", ALL_BYTES];
  const lengths = [21, 22, 23, 24, 25, 26, 30, 33, 40, 50, 64, 100, 200, 500, 1000, 3000];
  for (const alphabet of alphabets) {
    for (const len of lengths) out.push(randomString(rand, len, alphabet));
  }
  const words = ["redis", "cairn", "value", "key:", "12345", "\x00\x01", "ZZZZ"];
  for (const len of [21, 40, 80, 300, 2000, 9000]) {
    let s = "";
    while (s.length < len) s += words[Math.floor(rand() * words.length)];
    out.push(s.slice(0, len));
  }
  for (const len of [9000, 20000]) out.push("x".repeat(len));
  out.push("ab".repeat(5000) + randomString(rand, 100, ALL_BYTES) + "ab".repeat(3000));
  return out;
}

/** The whole corpus. */
export function corpus(): CorpusEntry[] {
  const rand = prng(7);
  const out: CorpusEntry[] = [];
  INTEGER_LIKE.forEach((v, i) => out.push({ db: 0, key: `int:${i}`, kind: "string", value: v }));
  lzfStrings().forEach((v, i) => out.push({ db: 0, key: `lzf:${i}`, kind: "string", value: v }));
  out.push({ db: 0, key: "bytes", kind: "string", value: ALL_BYTES });
  out.push({ db: 0, key: ALL_BYTES, kind: "string", value: "binary key" });
  out.push({ db: 0, key: "12345", kind: "string", value: "integer key" });
  out.push({ db: 0, key: "-7", kind: "string", value: "negative integer key" });

  out.push({ db: 0, key: "list:small", kind: "list", items: ["a", "1", "-5", "300", "hello"] });
  out.push({ db: 0, key: "list:ints", kind: "list", items: [...INTEGER_LIKE] });
  out.push({
    db: 0,
    key: "list:many",
    kind: "list",
    items: Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? String(i * 7919) : `item-${i}`)),
  });
  out.push({
    db: 0,
    key: "list:big-elements",
    kind: "list",
    items: Array.from({ length: 5 }, (_, i) => randomString(rand, 3000 + i * 1500, "abc")),
  });
  out.push({
    db: 1,
    key: "list:sized",
    kind: "list",
    items: Array.from({ length: 400 }, (_, i) => "v".repeat(i % 90)),
  });

  out.push({ db: 0, key: "set:int16", kind: "set", members: ["1", "2", "3", "-5", "32767"] });
  out.push({ db: 0, key: "set:int32", kind: "set", members: ["1", "100000", "-2147483648"] });
  out.push({ db: 0, key: "set:int64", kind: "set", members: ["1", "9223372036854775807", "-3"] });
  out.push({
    db: 0,
    key: "set:512",
    kind: "set",
    members: Array.from({ length: 512 }, (_, i) => String(i * 3 - 700)),
  });
  out.push({
    db: 0,
    key: "set:513",
    kind: "set",
    members: Array.from({ length: 513 }, (_, i) => String(i)),
  });
  out.push({ db: 0, key: "set:strings", kind: "set", members: ["a", "b", "c", "hello world"] });
  out.push({ db: 1, key: "set:mixed", kind: "set", members: ["1", "2", "x"] });

  out.push({
    db: 0,
    key: "hash:small",
    kind: "hash",
    entries: [["f1", "v1"], ["f2", "2"], ["3", "-4"]],
  });
  out.push({
    db: 0,
    key: "hash:512",
    kind: "hash",
    entries: Array.from({ length: 512 }, (_, i) => [`field:${i}`, i % 2 ? String(i) : `v${i}`]),
  });
  out.push({
    db: 0,
    key: "hash:513",
    kind: "hash",
    entries: Array.from({ length: 513 }, (_, i) => [`field:${i}`, `value:${i}`]),
  });
  out.push({
    db: 0,
    key: "hash:value64",
    kind: "hash",
    entries: [["f", "y".repeat(64)], ["g", "1"]],
  });
  out.push({
    db: 0,
    key: "hash:value65",
    kind: "hash",
    entries: [["f", "y".repeat(65)], ["g", "1"]],
  });
  out.push({ db: 15, key: "hash:db15", kind: "hash", entries: [["a", "b"]] });

  const specialScores = [0, 1, -1, 0.1, 2.5, -3.75, 1e300, -1e-300, Infinity, -Infinity];
  const bigScores = [2 ** 53, 2 ** 62, 2 ** 62 + 1024, 2 ** 63, -(2 ** 62), 123456789.125];
  out.push({
    db: 0,
    key: "zset:small",
    kind: "zset",
    entries: [...specialScores, ...bigScores].map((s, i) => [`m${i}`, s]),
  });
  out.push({ db: 0, key: "zset:negzero", kind: "zset", entries: [["z", -0], ["o", 1]] });
  out.push({
    db: 0,
    key: "zset:128",
    kind: "zset",
    entries: Array.from({ length: 128 }, (_, i) => [`member:${i}`, (i * 37) % 101 / 4]),
  });
  out.push({
    db: 0,
    key: "zset:129",
    kind: "zset",
    entries: Array.from({ length: 129 }, (_, i) => [`member:${i}`, (i * 37) % 101 / 4]),
  });
  out.push({
    db: 0,
    key: "zset:skiplist-special",
    kind: "zset",
    entries: [
      ["x".repeat(65), 1],
      ...[...specialScores, ...bigScores].map(
        (s, i): [string, number] => [`m${i}`, s],
      ),
    ],
  });
  out.push({ db: 1, key: "zset:ints", kind: "zset", entries: [["1", 1], ["2", 2], ["300", -300]] });

  out.push({ db: 0, key: "volatile:string", kind: "string", value: "v", expireAt: 4102444800000 });
  out.push({ db: 1, key: "volatile:list", kind: "list", items: ["a"], expireAt: 4102444800123 });
  out.push({
    db: 15,
    key: "volatile:hash",
    kind: "hash",
    entries: [["a", "1"]],
    expireAt: 4102444899999,
  });
  return out;
}

/** Redis commands that create `entry` (after SELECT of its database). */
export function commandsFor(entry: CorpusEntry): string[][] {
  const cmds: string[][] = [];
  const batch = <T>(items: T[], head: string[], toArgs: (x: T) => string[]) => {
    for (let i = 0; i < items.length; i += 100) {
      cmds.push([...head, ...items.slice(i, i + 100).flatMap(toArgs)]);
    }
  };
  switch (entry.kind) {
    case "string":
      cmds.push(["SET", entry.key, entry.value]);
      break;
    case "list":
      batch(entry.items, ["RPUSH", entry.key], (x) => [x]);
      break;
    case "set":
      batch(entry.members, ["SADD", entry.key], (x) => [x]);
      break;
    case "hash":
      batch(entry.entries, ["HSET", entry.key], ([f, v]) => [f, v]);
      break;
    case "zset":
      batch(entry.entries, ["ZADD", entry.key], ([m, s]) => [formatDouble17g(s), m]);
      break;
  }
  if (entry.expireAt !== undefined) cmds.push(["PEXPIREAT", entry.key, String(entry.expireAt)]);
  return cmds;
}
