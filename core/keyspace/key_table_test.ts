import { equal } from "node:assert/strict";
import { KeyTable } from "./key_table.ts";
import { hashKey } from "./key_map.ts";

Deno.test("KeyTable keeps every key's value and expire time while shards split", () => {
  const table = new KeyTable<string>();
  const count = 20_000; // about twenty shard splits
  for (let i = 0; i < count; i++) {
    table.set(`k${i}`, `v${i}`);
    if (i % 3 === 0) table.setExpire(`k${i}`, 1_000_000 + i);
  }
  equal(table.size, count);
  equal(table.shardCount > 8, true);
  equal(table.volatileCount, Math.ceil(count / 3));
  for (let i = 0; i < count; i++) {
    equal(table.get(`k${i}`), `v${i}`);
    equal(table.getExpire(`k${i}`), i % 3 === 0 ? 1_000_000 + i : undefined);
  }
});

Deno.test("KeyTable counts volatile keys through overwrite, removal and deletion", () => {
  const table = new KeyTable<string>();
  table.set("a", "1");
  table.set("b", "2");
  table.setExpire("a", 10);
  table.setExpire("a", 20); // a new time for the same key
  table.setExpire("b", 30);
  equal(table.volatileCount, 2);
  equal(table.getExpire("a"), 20);
  equal(table.deleteExpire("a"), true);
  equal(table.deleteExpire("a"), false);
  equal(table.getExpire("a"), undefined);
  equal(table.volatileCount, 1);
  equal(table.delete("b"), true);
  equal(table.volatileCount, 0);
  equal(table.getExpire("b"), undefined);
  table.set("b", "again");
  equal(table.getExpire("b"), undefined);
});

Deno.test("KeyTable shards take their slots from the table's pool and give them back as they shrink", () => {
  const table = new KeyTable<string>();
  for (let i = 0; i < 20_000; i++) table.set(`k${i}`, `v${i}`);
  const pool = table.slotPool;
  // Each key takes a slot of two elements, and every shard this large is in the pool.
  equal(pool.totalElements - pool.freeElements >= 2 * 20_000, true);
  for (let i = 0; i < 20_000; i++) table.delete(`k${i}`);
  equal(table.size, 0);
  equal(pool.pageCount, 0);
});

Deno.test("KeyTable.hint spares hashing a key and is trusted", () => {
  const hinted = new KeyTable<string>();
  for (let i = 0; i < 20_000; i++) {
    const key = `k${i}`;
    hinted.hint(key, hashKey(key));
    hinted.set(key, `v${i}`);
  }
  for (let i = 0; i < 20_000; i++) {
    const key = `k${i}`;
    hinted.hint(key, hashKey(key));
    equal(hinted.get(key), `v${i}`);
  }
  equal(hinted.size, 20_000);
  // The table uses the hinted hash as given: a wrong one looks in the wrong place.
  hinted.hint("k7", hashKey("k7") ^ 0x2aaaaaaa);
  equal(hinted.get("k7"), undefined);
  // Until another key takes its place, then the key is hashed again.
  equal(hinted.get("k8"), "v8");
  equal(hinted.get("k7"), "v7");
});
