import { equal } from "node:assert/strict";
import { idleMillis, LRU_CLOCK_MAX, lruClockAt, stampForIdle } from "./lru_clock.ts";

Deno.test("LRU clock arithmetic wraps as Redis's does", () => {
  equal(lruClockAt(1_700_000_000_123), 1_700_000_000 & LRU_CLOCK_MAX);
  equal(idleMillis(10, 15), 5000);
  // A stamp after the clock means the clock wrapped since.
  equal(idleMillis(LRU_CLOCK_MAX - 1, 3), (3 + 1) * 1000);
  equal(stampForIdle(5, 100), 95);
  equal(stampForIdle(10, 3), 3 - 10 + LRU_CLOCK_MAX);
  equal(idleMillis(stampForIdle(10, 3), 3), 10_000);
});
