import { deepEqual, equal, ok } from "node:assert/strict";
import { compareKeys, ScoreTree } from "./score_tree.ts";
import { seededRandom } from "../../tests/_helpers/random.ts";

type Pair = [member: string, score: number];

/** The naive model: a sorted array. */
function sortPairs(pairs: Pair[]): Pair[] {
  return [...pairs].sort((a, b) => compareKeys(a[1], a[0], b[1], b[0]));
}

function treeEntries(tree: ScoreTree): Pair[] {
  return [...tree.entries()];
}

Deno.test("ScoreTree keeps score-then-member order through random inserts and deletes", () => {
  const rand = seededRandom(7);
  const tree = new ScoreTree();
  const model = new Map<string, number>();
  for (let step = 0; step < 30_000; step++) {
    const member = "m" + Math.floor(rand() * 3000);
    const existing = model.get(member);
    if (existing !== undefined && rand() < 0.5) {
      ok(tree.delete(existing, member));
      model.delete(member);
    } else if (existing === undefined) {
      const score = Math.floor(rand() * 50) - 25; // many ties: member order matters
      tree.insert(score, member);
      model.set(member, score);
    }
    if (step % 5000 === 0) tree.verify();
  }
  tree.verify();
  equal(tree.size, model.size);
  deepEqual(treeEntries(tree), sortPairs([...model]));
  equal(tree.delete(1e9, "absent"), false);
});

Deno.test("ScoreTree rank, select and counts agree with a sorted array", () => {
  const rand = seededRandom(11);
  const tree = new ScoreTree();
  const pairs: Pair[] = [];
  for (let i = 0; i < 5000; i++) {
    const pair: Pair = ["k" + i.toString(36), Math.floor(rand() * 1000) / 4];
    pairs.push(pair);
    tree.insert(pair[1], pair[0]);
  }
  const sorted = sortPairs(pairs);
  for (let i = 0; i < sorted.length; i += 37) {
    const [m, s] = sorted[i];
    equal(tree.rank(s, m), i);
    const c = tree.cursorAt(i);
    equal(c.member, m);
    equal(c.score, s);
  }
  for (const limit of [-1, 0, 0.25, 13.5, 100, 249.75, 250, Infinity, -Infinity]) {
    equal(tree.countScoreBelow(limit, false), sorted.filter(([, s]) => s < limit).length);
    equal(tree.countScoreBelow(limit, true), sorted.filter(([, s]) => s <= limit).length);
  }
  equal(tree.cursorAt(-1).valid, false);
  equal(tree.cursorAt(sorted.length).valid, false);
});

Deno.test("ScoreTree cursors walk forward and backward across leaves", () => {
  const tree = new ScoreTree();
  for (let i = 0; i < 1000; i++) tree.insert(i, "x" + i);
  const forward: number[] = [];
  for (const c = tree.cursorAt(250); c.valid; c.next()) forward.push(c.score);
  deepEqual(forward, Array.from({ length: 750 }, (_, i) => 250 + i));
  const backward: number[] = [];
  for (const c = tree.cursorAt(300); c.valid; c.prev()) backward.push(c.score);
  deepEqual(backward, Array.from({ length: 301 }, (_, i) => 300 - i));
});

Deno.test("ScoreTree member counts follow byte order when scores are equal", () => {
  const tree = new ScoreTree();
  const members = ["", "a", "aa", "ab", "b", "\x00", "\xff", "ba", "c"];
  for (const m of members) tree.insert(0, m);
  const sorted = [...members].sort();
  for (const limit of ["", "a", "aa", "b", "bb", "\xff", "\xff\xff"]) {
    equal(tree.countMemberBelow(limit, false), sorted.filter((m) => m < limit).length);
    equal(tree.countMemberBelow(limit, true), sorted.filter((m) => m <= limit).length);
  }
});

Deno.test("ScoreTree built in bulk behaves like one built by inserts", () => {
  const rand = seededRandom(3);
  for (const n of [0, 1, 128, 129, 5000, 200_000]) {
    const pairs = sortPairs(Array.from({ length: n }, (_, i): Pair => ["e" + i, rand()]));
    const tree = ScoreTree.fromSorted(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
    tree.verify();
    equal(tree.size, n);
    if (n > 0) {
      const mid = pairs[n >> 1];
      equal(tree.rank(mid[1], mid[0]), n >> 1);
    }
    // Shrink it to nothing, checking it stays balanced on the way.
    for (let i = 0; i < n; i += 1 + Math.floor(n / 300)) ok(tree.delete(pairs[i][1], pairs[i][0]));
    tree.verify();
    const left = pairs.filter((_, i) => i % (1 + Math.floor(n / 300)) !== 0);
    deepEqual(treeEntries(tree), left);
    for (const [m, s] of left) ok(tree.delete(s, m));
    tree.verify();
    equal(tree.size, 0);
  }
});

Deno.test("ScoreTree: a million inserts, ranks and deletes stay logarithmic", () => {
  const n = 1_000_000;
  const tree = new ScoreTree();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tree.insert((i * 7919) % n, "m" + i);
  for (let i = 0; i < n; i += 3) tree.rank((i * 7919) % n, "m" + i);
  for (let i = 0; i < n; i += 2) tree.delete((i * 7919) % n, "m" + i);
  const elapsed = performance.now() - t0;
  tree.verify();
  equal(tree.size, n / 2);
  // A sorted array with splice needs minutes here; the tree needs about a second.
  ok(elapsed < 60_000, `took ${elapsed} ms`);
});
