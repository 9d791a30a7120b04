import { deepEqual, equal, ok } from "node:assert/strict";
import { SMALL_TABLE, StringTable } from "./string_table.ts";
import { SetValue } from "./set.ts";
import { defaultLimits } from "./limits.ts";
import { seededRandom } from "../../tests/_helpers/random.ts";

Deno.test("StringTable agrees with a Set through random adds and removals", () => {
  const rand = seededRandom(5);
  const table = new StringTable();
  const model = new Set<string>();
  for (let step = 0; step < 200_000; step++) {
    // Few distinct values so that lookups hit; sizes swing through the small/indexed boundary.
    const key = "k" + Math.floor(rand() * (step < 100_000 ? 5000 : 40));
    const pos = table.indexOf(key);
    equal(pos >= 0, model.has(key), `lookup of ${key} at step ${step}`);
    if (pos >= 0 && rand() < 0.5) {
      table.removeAt(pos);
      model.delete(key);
    } else if (pos < 0) {
      table.add(key);
      model.add(key);
    }
  }
  equal(table.size, model.size);
  deepEqual(new Set(table.keys), model);
  for (const key of model) equal(table.keys[table.indexOf(key)], key);
});

Deno.test("StringTable removal moves the last string into the hole", () => {
  const table = new StringTable();
  for (let i = 0; i < 100; i++) table.add("m" + i);
  ok(table.indexed);
  equal(table.removeAt(10), 99);
  equal(table.keys[10], "m99");
  equal(table.indexOf("m99"), 10);
  equal(table.indexOf("m10"), -1);
  equal(table.removeAt(table.size - 1), -1);
  equal(table.size, 98);
});

Deno.test("StringTable scans visit every string that stays, whatever else changes", () => {
  const rand = seededRandom(9);
  const table = new StringTable();
  const stable = Array.from({ length: 3000 }, (_, i) => "s" + i);
  for (const s of stable) table.add(s);
  let churn = 0;
  const seen = new Set<string>();
  let cursor = 0;
  do {
    cursor = table.scan(cursor, 10, (pos) => seen.add(table.keys[pos]));
    // Add some strings and remove some others (never stable ones) between steps.
    for (let i = 0; i < 5; i++) table.add("t" + churn++);
    for (let i = 0; i < 6 && churn > 0; i++) {
      const victim = table.indexOf("t" + Math.floor(rand() * churn));
      if (victim >= 0) table.removeAt(victim);
    }
  } while (cursor !== 0);
  deepEqual(stable.filter((s) => !seen.has(s)), []);
});

Deno.test("StringTable finds every string while its index grows and shrinks step by step", () => {
  const rand = seededRandom(12);
  const table = new StringTable();
  const present: string[] = [];
  let grewStepwise = false;
  let shrankStepwise = false;
  const check = (step: string) => {
    const known = present[Math.floor(rand() * present.length)];
    if (known !== undefined) equal(table.keys[table.indexOf(known)], known, `${step}: ${known}`);
    equal(table.indexOf("absent" + Math.floor(rand() * 1000)), -1, step);
  };
  for (let i = 0; i < 20_000; i++) {
    table.add("g" + i);
    present.push("g" + i);
    if (table.migrating) grewStepwise = true;
    // Removals while the index grows move strings between the two indexes.
    if (i % 7 === 0) {
      const victim = present.splice(Math.floor(rand() * present.length), 1)[0];
      table.removeAt(table.indexOf(victim));
    }
    check(`add ${i}`);
  }
  while (present.length > 100) {
    const victim = present.splice(Math.floor(rand() * present.length), 1)[0];
    table.removeAt(table.indexOf(victim));
    if (table.migrating) shrankStepwise = true;
    check(`remove down to ${present.length}`);
  }
  ok(grewStepwise, "the index grew by steps");
  ok(shrankStepwise, "the index shrank by steps");
  equal(table.size, present.length);
  for (const key of present) equal(table.keys[table.indexOf(key)], key);
});

Deno.test("sets track the intset encoding and width as Redis does", () => {
  const limits = { ...defaultLimits(), setMaxIntsetEntries: 4 };
  const set = new SetValue();
  set.add("1", limits);
  equal(set.encoding(limits), "intset");
  equal(set.intsetWidth(), 2);
  set.add("100000", limits);
  equal(set.intsetWidth(), 4);
  set.add("-9223372036854775808", limits);
  equal(set.intsetWidth(), 8);
  set.delete("-9223372036854775808");
  equal(set.intsetWidth(), 8, "an intset never gets narrower");
  set.add("2", limits);
  set.add("3", limits);
  equal(set.encoding(limits), "intset", "four members fit");
  set.add("4", limits);
  equal(set.encoding(limits), "hashtable", "past set-max-intset-entries");
  set.delete("4");
  equal(set.encoding(limits), "hashtable", "and never back");
  equal(SetValue.fromMembers(["1", "2", "01"], limits).encoding(limits), "hashtable");
  equal(SetValue.fromMembers(["1", "2", "-3"], limits).encoding(limits), "intset");
  const many = SetValue.fromMembers(
    Array.from({ length: SMALL_TABLE * 3 }, (_, i) => "x" + i),
    limits,
  );
  equal(many.size, SMALL_TABLE * 3);
  ok(many.has("x5") && !many.has("x"));
});
