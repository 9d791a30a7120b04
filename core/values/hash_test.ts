import { deepEqual, equal } from "node:assert/strict";
import { HashValue } from "./hash.ts";
import { defaultLimits, type EncodingLimits } from "./limits.ts";
import { seededRandom } from "../../tests/_helpers/differential.ts";

const limits = defaultLimits();

function small(entries: number, value: number): EncodingLimits {
  return { ...limits, hashMaxListpackEntries: entries, hashMaxListpackValue: value };
}

Deno.test("set reports new fields, updates in place and keeps insertion order", () => {
  const hash = new HashValue();
  equal(hash.set("a", "1", limits), true);
  equal(hash.set("b", "2", limits), true);
  equal(hash.set("a", "3", limits), false);
  deepEqual([...hash.entries()], [["a", "3"], ["b", "2"]]);
  equal(hash.get("a"), "3");
  equal(hash.get("zz"), undefined);
  equal(hash.delete("a"), true);
  equal(hash.delete("a"), false);
  equal(hash.size, 1);
});

Deno.test("order survives the move from the flat array to the map", () => {
  const hash = new HashValue();
  const expected: [string, string][] = [];
  for (let i = 0; i < 40; i++) {
    hash.set(`f${i}`, `v${i}`, limits);
    expected.push([`f${i}`, `v${i}`]);
  }
  hash.set("f3", "new", limits);
  expected[3] = ["f3", "new"];
  hash.delete("f10");
  expected.splice(10, 1);
  hash.set("f10", "back", limits);
  expected.push(["f10", "back"]);
  deepEqual([...hash.entries()], expected);
  equal(hash.encoding(limits), "listpack");
});

Deno.test("the encoding becomes hashtable past the entry limit and stays so", () => {
  const l = small(3, 64);
  const hash = new HashValue();
  for (const f of ["a", "b", "c"]) hash.set(f, "x", l);
  equal(hash.encoding(l), "listpack");
  hash.set("d", "x", l);
  equal(hash.encoding(l), "hashtable");
  hash.delete("d");
  hash.delete("c");
  equal(hash.encoding(l), "hashtable");
});

Deno.test("a long field or value converts, even on update", () => {
  const l = small(128, 4);
  const byValue = new HashValue();
  byValue.set("f", "1234", l);
  equal(byValue.encoding(l), "listpack");
  byValue.set("f", "12345", l);
  equal(byValue.encoding(l), "hashtable");
  const byField = new HashValue();
  byField.set("fffff", "1", l);
  equal(byField.encoding(l), "hashtable");
});

Deno.test("a lowered entry limit converts on the next set, not before", () => {
  const hash = new HashValue();
  for (const f of ["a", "b", "c"]) hash.set(f, "x", limits);
  const lowered = small(2, 64);
  equal(hash.encoding(lowered), "listpack");
  hash.set("a", "y", lowered);
  equal(hash.encoding(lowered), "hashtable");
});

Deno.test("fromEntries applies the thresholds to what it loads", () => {
  const l = small(2, 3);
  equal(HashValue.fromEntries([["a", "1"], ["b", "2"]], l).encoding(l), "listpack");
  equal(HashValue.fromEntries([["a", "1"], ["b", "2"], ["c", "3"]], l).encoding(l), "hashtable");
  equal(HashValue.fromEntries([["a", "1234"]], l).encoding(l), "hashtable");
  const loaded = HashValue.fromEntries([["x", "1"], ["y", "2"]], limits);
  deepEqual([...loaded.entries()], [["x", "1"], ["y", "2"]]);
});

Deno.test("entryAt and forEach agree with entries() in every storage", () => {
  const random = seededRandom(3);
  // Packed, a Map (still a listpack for Redis), and the hashtable's table.
  for (const n of [5, 50, 500]) {
    const hash = new HashValue();
    for (let i = 0; i < n; i++) hash.set(`k${Math.floor(random() * 1000)}`, String(i), limits);
    const all = [...hash.entries()];
    const viaForEach: [string, string][] = [];
    hash.forEach((f, v) => viaForEach.push([f, v]));
    deepEqual(viaForEach, all);
    for (let i = 0; i < all.length; i++) deepEqual(hash.entryAt(i), all[i]);
  }
});

Deno.test("packed storage handles long and binary fields and values", () => {
  const l = small(512, 100_000);
  const hash = new HashValue();
  const binary = String.fromCharCode(0, 128, 255, 13, 10);
  const entries: [string, string][] = [
    [binary, "v".repeat(300)],
    ["f".repeat(130), binary],
    ["", ""],
    ["k", "x".repeat(1000)],
  ];
  for (const [f, v] of entries) equal(hash.set(f, v, l), true);
  deepEqual([...hash.entries()], entries);
  equal(hash.get(binary), "v".repeat(300));
  equal(hash.valueLength("k"), 1000);
  equal(hash.valueLength("missing"), 0);
  equal(hash.has(""), true);
  hash.set(binary, "short", l);
  equal(hash.get(binary), "short");
  equal(hash.delete("f".repeat(130)), true);
  deepEqual([...hash.entries()].map(([f]) => f), [binary, "", "k"]);
  // Past the packed size the storage changes but the order and encoding do not.
  for (let i = 0; i < 10; i++) hash.set(`big${i}`, "z".repeat(500), l);
  equal(hash.encoding(l), "listpack");
  deepEqual([...hash.entries()].map(([f]) => f).slice(0, 4), [binary, "", "k", "big0"]);
  equal(hash.get("k"), "x".repeat(1000));
});

Deno.test("clone keeps contents, order and encoding, and is independent", () => {
  const l = small(128, 4);
  const hash = new HashValue();
  hash.set("f", "12345", l);
  hash.set("f", "1", l);
  hash.set("g", "2", l);
  const copy = hash.clone();
  equal(copy.encoding(l), "hashtable");
  deepEqual([...copy.entries()], [...hash.entries()]);
  copy.set("h", "3", l);
  equal(hash.has("h"), false);
  const packed = new HashValue();
  packed.set("a", "1", limits);
  const packedCopy = packed.clone();
  packedCopy.delete("a");
  equal(packed.get("a"), "1");
  equal(packedCopy.size, 0);
});

Deno.test("a hashtable hash keeps every value with its field through deletions", () => {
  const random = seededRandom(8);
  const l = small(4, 64);
  const hash = new HashValue();
  const model = new Map<string, string>();
  for (let i = 0; i < 3000; i++) {
    const field = `f${Math.floor(random() * 400)}`;
    if (random() < 0.4) {
      equal(hash.delete(field), model.delete(field), `delete ${field}`);
    } else {
      const value = `v${i}`;
      equal(hash.set(field, value, l), !model.has(field), `set ${field}`);
      model.set(field, value);
    }
  }
  equal(hash.encoding(l), "hashtable");
  equal(hash.size, model.size);
  deepEqual(new Map(hash.entries()), model);
  for (const [field, value] of model) {
    equal(hash.get(field), value);
    equal(hash.valueLength(field), value.length);
  }
  equal(hash.get("absent"), undefined);
});

Deno.test("HSCAN's scan returns every field present throughout, while others come and go", () => {
  const l = small(4, 64);
  const hash = new HashValue();
  // Fields deleted during the scan come first: deleting one moves the last
  // field into its place, so fields that stay do move during the scan.
  for (let i = 0; i < 100; i++) hash.set(`gone${i}`, "g", l);
  for (let i = 0; i < 200; i++) hash.set(`stay${i}`, String(i), l);
  const seen = new Map<string, string>();
  let cursor = 0;
  let round = 0;
  do {
    cursor = hash.scan(cursor, 7, (field, value) => seen.set(field, value));
    hash.delete(`gone${round}`);
    hash.set(`new${round}`, "n", l);
    round++;
  } while (cursor !== 0);
  for (let i = 0; i < 200; i++) equal(seen.get(`stay${i}`), String(i), `stay${i}`);
});

Deno.test("a clone of a hashtable hash is independent of it", () => {
  const l = small(4, 64);
  const hash = HashValue.fromEntries(
    Array.from({ length: 10 }, (_, i): [string, string] => [`f${i}`, `v${i}`]),
    l,
  );
  const copy = hash.clone();
  equal(copy.encoding(l), "hashtable");
  copy.delete("f0");
  copy.set("f1", "changed", l);
  equal(hash.get("f0"), "v0");
  equal(hash.get("f1"), "v1");
  equal(copy.size, 9);
  deepEqual([...hash.entries()].length, 10);
});
