import { deepEqual, equal } from "node:assert/strict";
import { ListValue } from "./list.ts";
import { defaultLimits } from "./limits.ts";
import { seededRandom } from "../../tests/_helpers/differential.ts";

const limits = defaultLimits();

function contents(list: ListValue): string[] {
  return [...list];
}

Deno.test("pushes and pops at both ends keep deque order across ring growth", () => {
  const list = new ListValue();
  for (let i = 0; i < 10; i++) list.pushTail(`t${i}`);
  for (let i = 0; i < 10; i++) list.pushHead(`h${i}`);
  equal(list.length, 20);
  equal(list.at(0), "h9");
  equal(list.at(19), "t9");
  equal(list.popHead(), "h9");
  equal(list.popTail(), "t9");
  deepEqual(contents(list).slice(0, 3), ["h8", "h7", "h6"]);
  deepEqual(contents(list).slice(-3), ["t6", "t7", "t8"]);
  while (list.length > 0) list.popTail();
  equal(list.popHead(), undefined);
  equal(list.popTail(), undefined);
  deepEqual(contents(list), []);
});

Deno.test("resolveIndex follows Redis's negative index rule", () => {
  const list = ListValue.fromItems(["a", "b", "c"], limits);
  equal(list.resolveIndex(0), 0);
  equal(list.resolveIndex(-1), 2);
  equal(list.resolveIndex(-3), 0);
  equal(list.resolveIndex(-4), -1);
  equal(list.resolveIndex(3), -1);
});

/** Checks every read path of `list` against `model`. */
function assertSame(list: ListValue, model: string[], random: () => number): void {
  equal(list.length, model.length);
  deepEqual(contents(list), model);
  if (model.length === 0) return;
  const a = Math.floor(random() * model.length);
  const b = a + Math.floor(random() * (model.length - a));
  deepEqual(list.slice(a, b), model.slice(a, b + 1));
  const reversed: string[] = [];
  list.forRange(a, b, true, (v) => reversed.push(v));
  deepEqual(reversed, model.slice(a, b + 1).reverse());
  for (const i of [0, a, b, model.length - 1]) equal(list.at(i), model[i]);
  const fromTail: [string, number][] = [];
  list.scan(true, (v, i) => fromTail.push([v, i]) < 5);
  deepEqual(fromTail, model.map((v, i) => [v, i] as [string, number]).reverse().slice(0, 5));
}

const WEIGHTED_OPS = [0, 0, 0, 1, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9];

/** Lists of a few elements, which live in one small packed node. */
const SMALL_LIST_OPS = [0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9];

for (
  const [seed, initialSize, ops] of [
    [7, 500, WEIGHTED_OPS],
    [8, 500, WEIGHTED_OPS],
    [9, 500, WEIGHTED_OPS],
    [10, 0, SMALL_LIST_OPS],
    [11, 0, SMALL_LIST_OPS],
  ] as const
) {
  Deno.test(`a random mix of operations matches a plain array model (seed ${seed})`, () => {
    const random = seededRandom(seed);
    const initial = Array.from(
      {
        length: initialSize === 0
          ? Math.floor(random() * 10)
          : initialSize + Math.floor(random() * 1500),
      },
      (_, i) => String(i % 40),
    );
    const list = ListValue.fromItems(initial, limits);
    const model = [...initial];
    for (let step = 0; step < 6000; step++) {
      // Weighted so that the list grows to several nodes before it shrinks.
      const op = ops[Math.floor(random() * ops.length)];
      const value = random() < 0.05
        ? "x".repeat(Math.floor(random() * 5000))
        : String(Math.floor(random() * 40));
      const pos = Math.floor(random() * (model.length + 1));
      switch (op) {
        case 0:
          list.pushHead(value);
          model.unshift(value);
          break;
        case 1:
          list.pushTail(value);
          model.push(value);
          break;
        case 2:
          equal(list.popHead(), model.shift());
          break;
        case 3:
          equal(list.popTail(), model.pop());
          break;
        case 4:
          list.insertAt(pos, value);
          model.splice(pos, 0, value);
          break;
        case 5:
          if (pos < model.length) {
            list.removeAt(pos);
            model.splice(pos, 1);
          }
          break;
        case 6: {
          const count = Math.floor(random() * (random() < 0.02 ? 400 : 4));
          const start = Math.min(pos, model.length);
          const n = Math.min(count, model.length - start);
          list.removeRange(start, n);
          model.splice(start, n);
          break;
        }
        case 7: {
          const limit = random() < 0.1 ? 0 : 1 + Math.floor(random() * 2);
          const fromTail = random() < 0.5;
          const expected = removeMatchingModel(model, value, limit, fromTail);
          equal(list.removeMatching(value, limit, fromTail), expected);
          break;
        }
        case 8:
          if (pos < model.length) {
            list.set(pos, value);
            model[pos] = value;
          }
          break;
        case 9:
          equal(list.indexOf(value, pos), model.indexOf(value, pos));
          break;
      }
      equal(list.length, model.length);
      if (step % 101 === 0) assertSame(list, model, random);
    }
    assertSame(list, model, random);
  });
}

function removeMatchingModel(
  model: string[],
  value: string,
  limit: number,
  fromTail: boolean,
): number {
  let removed = 0;
  if (!fromTail) {
    for (let i = 0; i < model.length;) {
      if (model[i] === value && (limit === 0 || removed < limit)) {
        model.splice(i, 1);
        removed++;
      } else {
        i++;
      }
    }
  } else {
    for (let i = model.length - 1; i >= 0; i--) {
      if (model[i] === value && (limit === 0 || removed < limit)) {
        model.splice(i, 1);
        removed++;
      }
    }
  }
  return removed;
}

Deno.test("indexOf, slice and forRange see the elements in list order", () => {
  const list = new ListValue();
  for (const v of ["c", "d", "e"]) list.pushTail(v);
  for (const v of ["b", "a"]) list.pushHead(v);
  equal(list.indexOf("c"), 2);
  equal(list.indexOf("a", 1), -1);
  deepEqual(list.slice(1, 3), ["b", "c", "d"]);
  const seen: string[] = [];
  list.forRange(0, 4, true, (v) => seen.push(v));
  deepEqual(seen, ["e", "d", "c", "b", "a"]);
});

Deno.test("a million-element list keeps both ends cheap and shrinks when drained", () => {
  const list = new ListValue();
  const n = 1_000_000;
  for (let i = 0; i < n; i++) list.pushHead(String(i));
  equal(list.length, n);
  equal(list.at(0), String(n - 1));
  equal(list.at(n - 1), "0");
  equal(list.at(list.resolveIndex(-2)), "1");
  for (let i = 0; i < n - 1; i++) list.popTail();
  deepEqual(contents(list), [String(n - 1)]);
});

Deno.test("lists always report the quicklist encoding, as Redis 7.0 does", () => {
  const small = ListValue.fromItems(["a"], limits);
  equal(small.encoding(limits), "quicklist");
  equal(small.type, "list");
  const big = ListValue.fromItems(Array.from({ length: 1000 }, (_, i) => "x".repeat(i)), limits);
  equal(big.encoding({ ...limits, listMaxListpackSize: 1 }), "quicklist");
  equal(big.length, 1000);
});

Deno.test("clone copies every node and is independent of the original", () => {
  const items = Array.from({ length: 1000 }, (_, i) => `item-${i}`);
  const list = ListValue.fromItems(items, limits);
  list.pushHead("head");
  const copy = list.clone();
  deepEqual(contents(copy), ["head", ...items]);
  copy.popHead();
  copy.set(500, "changed");
  list.pushTail("tail");
  equal(list.at(0), "head");
  equal(list.at(501), "item-500");
  deepEqual(contents(copy).slice(499, 501), ["item-499", "changed"]);
  equal(copy.length, 1000);
});
