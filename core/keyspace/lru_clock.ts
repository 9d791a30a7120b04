/**
 * Redis's LRU clock: Unix seconds modulo 2^24, the access time a key carries
 * for OBJECT IDLETIME (Redis's `LRU_CLOCK`, `estimateObjectIdleTime` and the
 * idle-time half of `objectSetLRUOrLFU`).
 *
 * As in Redis the clock is a cached value refreshed by the server's periodic
 * tick, not read per lookup: a lookup only copies a number, and reading the
 * system clock per command would cost more than the lookup itself. The clock
 * wraps after 2^24 seconds (about 194 days); idle times are computed modulo
 * that, as Redis does.
 *
 * @module
 */

/** Largest value of the clock (2^24 - 1). */
export const LRU_CLOCK_MAX = (1 << 24) - 1;

/** The clock for Unix time `ms`. */
export function lruClockAt(ms: number): number {
  return Math.floor(ms / 1000) & LRU_CLOCK_MAX;
}

let current = lruClockAt(Date.now());

/** The cached clock: the value a key accessed now records. */
export function lruClock(): number {
  return current;
}

/** Refreshes the cached clock (the server tick calls this `hz` times a second). */
export function refreshLruClock(nowMs: number = Date.now()): void {
  current = lruClockAt(nowMs);
}

/** Milliseconds since an access recorded as `stamp`, at clock `clock` (Redis's estimate). */
export function idleMillis(stamp: number, clock: number = current): number {
  const seconds = clock >= stamp ? clock - stamp : clock + (LRU_CLOCK_MAX - stamp);
  return seconds * 1000;
}

/** The stamp of a key last accessed `idleSeconds` ago (RESTORE ... IDLETIME). */
export function stampForIdle(idleSeconds: number, clock: number = current): number {
  let stamp = clock - idleSeconds;
  // Redis adds LRU_CLOCK_MAX (not 2^24) once on underflow, then its 24-bit
  // field keeps the low bits: the same here, so both report the same idle time.
  if (stamp < 0) stamp += LRU_CLOCK_MAX;
  return Number(BigInt.asUintN(24, BigInt(stamp)));
}
