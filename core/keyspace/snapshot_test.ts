import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Db, type KeyspaceHost } from "./db.ts";
import { type SnapshotVisitor, SnapshotWalk } from "./snapshot.ts";
import type { Value } from "../values/value.ts";
import { seededRandom } from "../../tests/_helpers/random.ts";

type Entry = [value: string, expireAt: number];

function makeDbs(count: number): Db[] {
  const host: KeyspaceHost = {
    now: () => 1_000,
    isLoading: () => false,
    keyExpired: () => {},
    stats: { keyspaceHits: 0, keyspaceMisses: 0 },
  };
  return Array.from({ length: count }, (_, i) => new Db(i, host));
}

/** Records the image per database and checks that sections arrive in order. */
class RecordingVisitor implements SnapshotVisitor<[string, string, number]> {
  readonly image = new Map<number, Map<string, Entry>>();
  readonly sections: number[] = [];
  readonly counts: [number, number, number][] = [];
  duplicates = 0;
  #open = -1;

  beginDb(index: number, keys: number, volatile: number): void {
    this.#open = index;
    this.sections.push(index);
    this.counts.push([index, keys, volatile]);
    this.image.set(index, new Map());
  }
  writeKey(key: string, value: Value, expireAt: number): void {
    const section = this.image.get(this.#open)!;
    if (section.has(key)) this.duplicates++;
    section.set(key, [value as string, expireAt]);
  }
  capture(key: string, value: Value, expireAt: number): [string, string, number] {
    return [key, value as string, expireAt];
  }
  emitCaptured([key, value, expireAt]: [string, string, number]): void {
    this.writeKey(key, value, expireAt);
  }
}

function contents(dbs: Db[]): Map<number, Map<string, Entry>> {
  const out = new Map<number, Map<string, Entry>>();
  for (const db of dbs) {
    if (db.size === 0) continue;
    const m = new Map<string, Entry>();
    for (const [k, v] of db.table.entries()) m.set(k, [v as string, db.getExpire(k)]);
    out.set(db.index, m);
  }
  return out;
}

Deno.test("SnapshotWalk writes exactly the dataset at its start while writes race it", () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rand = seededRandom(seed);
    const dbs = makeDbs(4);
    for (let i = 0; i < 6000; i++) {
      const db = dbs[Math.floor(rand() * 3)];
      db.setKey(`k${Math.floor(rand() * 5000)}`, `v${i}`);
      if (rand() < 0.2) db.setExpire(`k${i % 5000}`, 5_000 + i);
    }
    const before = contents(dbs);
    const visitor = new RecordingVisitor();
    const walk = new SnapshotWalk(dbs, visitor);
    let steps = 0;
    while (!walk.step({ deadline: Infinity, maxKeys: 1 + Math.floor(rand() * 400) })) {
      steps++;
      for (let n = 0; n < 50; n++) racingWrite(dbs, rand);
    }
    ok(steps > 5, "the walk took several steps");
    equal(visitor.duplicates, 0, "no key is written twice");
    deepEqual(visitor.image, before, `seed ${seed}: the image is the dataset at the start`);
    deepEqual(visitor.sections, [...before.keys()], "sections come in database order");
    equal(walk.keysWritten, walk.keysTotal);
  }
});

function racingWrite(dbs: Db[], rand: () => number): void {
  const db = dbs[Math.floor(rand() * 4)];
  const key = `k${Math.floor(rand() * 6000)}`;
  const r = rand();
  if (r < 0.4) db.setKey(key, `new${r}`);
  else if (r < 0.6) db.delete(key);
  else if (r < 0.7) {
    if (db.exists(key)) db.setExpire(key, 9_999);
  } else if (r < 0.8) db.persist(key);
  else if (r < 0.83) db.flush();
  else if (r < 0.86) {
    const other = dbs[Math.floor(rand() * 4)];
    const t = db.table;
    db.table = other.table;
    other.table = t;
  } else {
    db.setKey(`fresh${Math.floor(rand() * 1e9)}`, "x");
  }
}

Deno.test("SnapshotWalk reports the key counts of each database at the start", () => {
  const dbs = makeDbs(3);
  dbs[0].setKey("a", "1");
  dbs[2].setKey("b", "2");
  dbs[2].setKey("c", "3");
  dbs[2].setExpire("c", 5_000);
  const visitor = new RecordingVisitor();
  const walk = new SnapshotWalk(dbs, visitor);
  dbs[2].setKey("d", "4");
  ok(walk.step({ deadline: Infinity }));
  deepEqual(visitor.counts, [[0, 1, 0], [2, 2, 1]]);
  equal(dbs[2].table.hook, null, "hooks are removed at the end");
});

Deno.test("only one snapshot walk may run at a time", () => {
  const dbs = makeDbs(1);
  dbs[0].setKey("a", "1");
  const first = new SnapshotWalk(dbs, new RecordingVisitor());
  throws(() => new SnapshotWalk(dbs, new RecordingVisitor()), /another snapshot is running/);
  first.abort();
  const second = new SnapshotWalk(dbs, new RecordingVisitor());
  ok(second.step({ deadline: Infinity }));
});

Deno.test("a large table is walked in bounded steps, and splits resume afterwards", () => {
  const dbs = makeDbs(1);
  for (let i = 0; i < 50_000; i++) dbs[0].setKey(`key:${i}`, "v");
  const shardsBefore = dbs[0].table.shardCount;
  const visitor = new RecordingVisitor();
  const walk = new SnapshotWalk(dbs, visitor);
  for (let i = 0; i < 50_000; i++) dbs[0].setKey(`more:${i}`, "v");
  equal(dbs[0].table.shardCount, shardsBefore, "the layout is frozen while walking");
  let steps = 0;
  let largest = 0;
  let written = 0;
  while (!walk.step({ deadline: Infinity, maxKeys: 1000 })) {
    steps++;
    largest = Math.max(largest, walk.keysWritten - written);
    written = walk.keysWritten;
  }
  ok(steps >= 20, `${steps} steps`);
  ok(largest < 1000 + 4096, `a step wrote ${largest} keys: at most the limit plus one shard`);
  equal(visitor.image.get(0)!.size, 50_000);
  dbs[0].setKey("trigger", "v");
  ok(dbs[0].table.shardCount > shardsBefore, "splitting resumes after the walk");
});
