import { deepEqual, equal, ok } from "node:assert/strict";
import { hashBytes, hashKey, KeyMap } from "./key_map.ts";
import { SlotPool } from "./slot_pool.ts";

/** A small deterministic generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("KeyMap agrees with Map under random sets and deletes", () => {
  const random = seeded(7);
  const map = new KeyMap<number>();
  const model = new Map<string, number>();
  for (let step = 0; step < 60_000; step++) {
    // A small key space so deletes hit and the map grows and shrinks.
    const key = "k" + Math.floor(random() * (step < 40_000 ? 3000 : 300));
    const r = random();
    if (r < 0.55) {
      equal(map.set(key, step), !model.has(key));
      model.set(key, step);
    } else {
      equal(map.delete(key), model.delete(key));
    }
    equal(map.size, model.size);
    if (step % 97 === 0) {
      const probe = "k" + Math.floor(random() * 3000);
      equal(map.get(probe), model.get(probe));
    }
  }
  deepEqual(new Map(map.entries()), model);
  for (const [key, value] of model) equal(map.get(key), value);
});

Deno.test("KeyMaps sharing a slot pool agree with Map through growth, splits and shrinking", () => {
  const random = seeded(11);
  const pool = new SlotPool();
  const maps = [new KeyMap<number>(0, true, pool)];
  const model = new Map<string, number>();
  const mapOf = (key: string) => maps.find((m) => m.has(key));
  for (let step = 0; step < 80_000; step++) {
    const key = "k" + Math.floor(random() * 20_000);
    if (random() < (step < 50_000 ? 0.7 : 0.1)) {
      (mapOf(key) ?? maps[Math.floor(random() * maps.length)]).set(key, step);
      model.set(key, step);
    } else {
      equal(mapOf(key)?.delete(key) ?? false, model.delete(key));
    }
    if (step % 10_000 === 9_999 && maps.length < 8) {
      const bit = 1 << maps.length;
      maps.push(maps[0].split(bit, 0));
    }
  }
  // Overlapping ranges or a range freed while in use would show here.
  equal(maps.reduce((n, m) => n + m.size, 0), model.size);
  for (const [key, value] of model) equal(mapOf(key)?.get(key), value, key);
  ok(pool.pageCount > 0, "the large maps took their slots from the pool");
  for (const key of [...model.keys()]) mapOf(key)!.delete(key);
  equal(pool.pageCount, 0, "maps that shrank gave every range back");
});

Deno.test("KeyMap keeps keys whose hashes collide apart", () => {
  const map = new KeyMap<string>();
  // Same stored hash, different keys: only the key comparison tells them apart.
  for (let i = 0; i < 50; i++) map.set("x" + i, "v" + i, 12345);
  for (let i = 0; i < 50; i += 2) ok(map.delete("x" + i, 12345));
  for (let i = 0; i < 50; i++) equal(map.get("x" + i, 12345), i % 2 === 0 ? undefined : "v" + i);
  equal(map.size, 25);
});

Deno.test("KeyMap.keys survives changes made while it is suspended", () => {
  const map = new KeyMap<number>();
  for (let i = 0; i < 1000; i++) map.set("k" + i, i);
  const iterator = map.keys();
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) seen.add(iterator.next().value!);
  // Deleting many keys shrinks and reorders the slots; adding others grows them.
  for (let i = 0; i < 1000; i += 2) map.delete("k" + i);
  for (let i = 1000; i < 3000; i++) map.set("k" + i, i);
  for (let step = iterator.next(); !step.done; step = iterator.next()) seen.add(step.value);
  for (let i = 1; i < 1000; i += 2) ok(seen.has("k" + i), `k${i} was present throughout`);
  for (const key of seen) {
    const n = Number(key.slice(1));
    ok(n < 1000, "only keys present when the iteration started");
  }
});

Deno.test("KeyMap.split moves exactly the rejected hashes", () => {
  const map = new KeyMap<number>();
  for (let i = 0; i < 5000; i++) map.set("key:" + i, i);
  const moved = map.split(1, 0);
  equal(map.size + moved.size, 5000);
  for (let i = 0; i < 5000; i++) {
    const key = "key:" + i;
    const even = (hashKey(key) & 1) === 0;
    equal(map.get(key), even ? i : undefined);
    equal(moved.get(key), even ? undefined : i);
  }
});

Deno.test("KeyMap.split keeps every key findable when runs of full slots wrap around the end", () => {
  const random = seeded(5);
  for (let trial = 0; trial < 300; trial++) {
    const map = new KeyMap<number>();
    const hashes = new Map<string, number>();
    const count = 1 + Math.floor(random() * 60);
    for (let i = 0; i < count; i++) {
      // Hashes crowded near the top of the range: their home slots are the
      // last ones, so their runs wrap around to the first slots.
      const hash = 0x3fffffff - Math.floor(random() * 0x1000000) * 4 - Math.floor(random() * 4);
      hashes.set("k" + i, hash);
      map.set("k" + i, i, hash);
    }
    const mask = 1 + Math.floor(random() * 3);
    const stay = Math.floor(random() * (mask + 1)) & mask;
    const moved = map.split(mask, stay, 1 + random() * 2);
    equal(map.size + moved.size, count);
    for (const [key, hash] of hashes) {
      const stays = (hash & mask) === stay;
      equal(map.get(key, hash), stays ? Number(key.slice(1)) : undefined, `trial ${trial} ${key}`);
      equal(
        moved.get(key, hash),
        stays ? undefined : Number(key.slice(1)),
        `trial ${trial} ${key}`,
      );
    }
    // Both halves take new keys and give them back.
    map.set("new", -1, hashes.get("k0")!);
    equal(map.get("new", hashes.get("k0")!), -1);
    ok(map.delete("new", hashes.get("k0")!));
  }
});

Deno.test("KeyMap.randomKey returns present keys and covers them", () => {
  const map = new KeyMap<number>();
  equal(map.randomKey(), undefined);
  for (let i = 0; i < 20; i++) map.set("k" + i, i);
  const random = seeded(3);
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const key = map.randomKey(random)!;
    ok(map.has(key));
    seen.add(key);
  }
  equal(seen.size, 20);
});

Deno.test("hashKey stays within 30 bits and spreads similar keys", () => {
  const hashes = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    const h = hashKey("key:" + String(i).padStart(12, "0"));
    ok(Number.isInteger(h) && h >= 0 && h < 2 ** 30);
    hashes.add(h);
  }
  ok(hashes.size > 9_990, `only ${hashes.size} distinct hashes`);
  const lows = new Set([...hashes].map((h) => h & 1023));
  equal(lows.size, 1024, "the low bits that pick a shard take every value");
});

Deno.test("hashBytes of a key's bytes equals hashKey of the key, at every length and position", () => {
  const random = seeded(11);
  // Lengths around the sampling thresholds (48 and the middle step), every byte value.
  for (const length of [0, 1, 2, 15, 16, 47, 48, 49, 55, 56, 57, 100, 1000, 70_000]) {
    for (let round = 0; round < 5; round++) {
      const bytes = new Uint8Array(length + 7);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      const from = Math.floor(random() * 7);
      const key = String.fromCharCode(...bytes.subarray(from, from + length));
      equal(hashBytes(bytes, from, from + length), hashKey(key), `length ${length}`);
    }
  }
});

Deno.test("KeyMap.warm reads without changing values, stamps or size", () => {
  const map = new KeyMap<string>(0, true);
  for (let i = 0; i < 500; i++) map.set("k" + i, "v" + i, hashKey("k" + i), i);
  let sum = 0;
  for (let i = 0; i < 1000; i++) sum += map.warm(hashKey("k" + i));
  ok(sum > 0);
  equal(map.size, 500);
  for (let i = 0; i < 500; i++) {
    equal(map.get("k" + i), "v" + i);
    equal(map.stampOf("k" + i), i);
  }
});

Deno.test("KeyMap keeps each key's access stamp through growth, removals, shrinking and splits", () => {
  const map = new KeyMap<number>(0, true);
  const stampFor = (i: number) => (i * 7919) % 100_000;
  for (let i = 0; i < 5000; i++) map.set("k" + i, i, undefined, stampFor(i));
  // Removals shift later entries of a probe run back; shrinking rebuilds.
  for (let i = 0; i < 5000; i += 3) map.delete("k" + i);
  for (let i = 0; i < 4500; i++) if (i % 3 !== 0 && i % 5 === 0) map.delete("k" + i);
  const moved = map.split(1, 0);
  let checked = 0;
  for (let i = 0; i < 5000; i++) {
    const key = "k" + i;
    const present = i % 3 !== 0 && !(i < 4500 && i % 5 === 0);
    const stamp = map.stampOf(key) ?? moved.stampOf(key);
    equal(stamp, present ? stampFor(i) : undefined, key);
    if (present) checked++;
  }
  ok(checked > 2000);
  // An access records its stamp; a new value gets the one it is stored with.
  equal(map.access("k1", 42) ?? moved.access("k1", 42), 1);
  equal(map.stampOf("k1") ?? moved.stampOf("k1"), 42);
  equal(map.access("k0", 42), undefined);
  map.set("k2", -2, undefined, 7);
  equal(map.stampOf("k2"), 7);
  // A map made without stamps keeps none.
  const plain = new KeyMap<number>();
  plain.set("k", 1, undefined, 9);
  equal(plain.access("k", 10), 1);
  equal(plain.stampOf("k"), undefined);
});

Deno.test("KeyMap.forEach gives back each key's hash, including the smallest and largest", () => {
  const map = new KeyMap<string>();
  const hashes = new Map([["lo", 0], ["hi", 0x3fffffff], ["mid", 12345]]);
  for (const [key, hash] of hashes) map.set(key, key.toUpperCase(), hash);
  for (let i = 0; i < 100; i++) map.set("k" + i, "v" + i);
  const seen = new Map<string, number>();
  map.forEach((key, value, hash) => {
    equal(value, hashes.has(key) ? key.toUpperCase() : "v" + key.slice(1));
    seen.set(key, hash);
  });
  equal(seen.size, 103);
  for (const [key, hash] of hashes) equal(seen.get(key), hash, key);
  for (let i = 0; i < 100; i++) equal(seen.get("k" + i), hashKey("k" + i));
  // A removal shifts entries back; the extreme hashes must still be found.
  ok(map.delete("mid", 12345));
  equal(map.get("lo", 0), "LO");
  equal(map.get("hi", 0x3fffffff), "HI");
});
