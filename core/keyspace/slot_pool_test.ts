import { equal, ok, throws } from "node:assert/strict";
import { MAX_PAGE_ELEMENTS, MIN_PAGE_ELEMENTS, SlotPool, type SlotRange } from "./slot_pool.ts";

/** Writes `tag` into every element of `range`. */
function fillRange(range: SlotRange, length: number, tag: string): void {
  range.elements.fill(tag, range.base, range.base + length);
}

function rangeHolds(range: SlotRange, length: number, tag: string | undefined): boolean {
  for (let i = range.base; i < range.base + length; i++) {
    if (range.elements[i] !== tag) return false;
  }
  return true;
}

Deno.test("SlotPool gives ranges that do not overlap and start empty", () => {
  const pool = new SlotPool();
  const lengths = [2048, 5000, 2048, 9000, 3000, 2048, 40_000];
  const ranges = lengths.map((length, i) => {
    const range = pool.alloc(length);
    ok(rangeHolds(range, length, undefined), `range ${i} starts empty`);
    ok(range.elements.length >= MIN_PAGE_ELEMENTS);
    ok(range.base + length <= range.elements.length);
    fillRange(range, length, "r" + i);
    return range;
  });
  // Had two ranges overlapped, the later fill would show in the earlier one.
  ranges.forEach((range, i) => ok(rangeHolds(range, lengths[i], "r" + i), `range ${i} intact`));
  equal(pool.totalElements - pool.freeElements, lengths.reduce((a, b) => a + b));
});

Deno.test("SlotPool.free clears the range, merges free neighbours and drops an empty page", () => {
  const pool = new SlotPool();
  const first = pool.alloc(2048);
  const a = pool.alloc(4000);
  const b = pool.alloc(4000);
  const c = pool.alloc(4000);
  equal(pool.pageCount, 1);
  equal(a.elements, c.elements);
  for (const [range, tag] of [[a, "a"], [b, "b"], [c, "c"]] as const) fillRange(range, 4000, tag);
  pool.free(b, 4000);
  ok(rangeHolds(b, 4000, undefined), "a freed range keeps no value alive");
  ok(rangeHolds(a, 4000, "a") && rangeHolds(c, 4000, "c"), "its neighbours are untouched");
  // A request that fits b's place exactly gets it back: best fit.
  equal(pool.alloc(4000).base, b.base);
  pool.free(b, 4000);
  pool.free(a, 4000);
  // a and b merged: 8000 elements from a's start, on the same page.
  const merged = pool.alloc(8000);
  equal(merged.elements, a.elements);
  equal(merged.base, a.base);
  pool.free(merged, 8000);
  pool.free(c, 4000);
  equal(pool.pageCount, 1);
  pool.free(first, 2048);
  equal(pool.pageCount, 0, "a page with nothing in use is dropped");
  equal(pool.totalElements, 0);
});

Deno.test("SlotPool pages grow with the pool and fit a request larger than a page", () => {
  const pool = new SlotPool();
  const small = pool.alloc(2048);
  equal(small.elements.length, MIN_PAGE_ELEMENTS, "a small pool takes a small page");
  const big = pool.alloc(MAX_PAGE_ELEMENTS + 10);
  equal(big.elements.length, MAX_PAGE_ELEMENTS + 10);
  for (let i = 0; i < 40; i++) pool.alloc(MIN_PAGE_ELEMENTS);
  ok(pool.pageCount < 12, `pages grow: ${pool.pageCount} pages for 41 page-sized requests`);
  ok(
    pool.totalElements - pool.freeElements ===
      2048 + MAX_PAGE_ELEMENTS + 10 + 40 * MIN_PAGE_ELEMENTS,
  );
});

Deno.test("SlotPool.free refuses a range from elsewhere", () => {
  const pool = new SlotPool();
  pool.alloc(2048);
  throws(() => pool.free({ elements: new Array(4096), base: 0 }, 2048), /not from this pool/);
});
