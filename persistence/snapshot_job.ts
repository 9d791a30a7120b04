/**
 * Runs a point-in-time snapshot walk (core/keyspace/snapshot.ts) in the
 * background and streams what its visitor produces to a file: the engine of
 * BGSAVE and of AOF rewrites.
 *
 * Each turn walks for a short slice (2 ms by default) and then gives the
 * event loop back, so clients are served between slices. Output is written
 * asynchronously (Deno runs file writes off the main thread); at most one
 * write is in flight, which bounds the memory held by pending output and
 * keeps the walk from racing ahead of the disk.
 *
 * Yielding: a chain of `setImmediate` never lets Deno poll sockets (measured:
 * a client was answered 4 times in 2 s while one ran), so it cannot be the
 * yield. A `setTimeout(0)` gives clients a real turn: the event loop waits
 * for I/O until the timer fires, about 2 ms later (millisecond timers). An
 * async op that completes at once (a 1-byte digest, about 13 µs) makes the
 * loop poll I/O once, cheaply. With an `activity` counter the job uses the
 * timer while clients are being served and the cheap poll while the server
 * is idle, so an idle server saves at nearly full speed.
 *
 * Sharing with busy clients: after a turn of clients, the next slice walks
 * for as long as that turn took (at least `sliceMs`). So under a load that
 * keeps the thread busy the walk gets half of it, and a BGSAVE takes about
 * twice as long as a SAVE, which has the whole thread. A fixed slice gave the
 * walk a share that depended on how long the timer took: measured, 62%.
 *
 * @module
 */

import type { Db } from "../core/keyspace/db.ts";
import { type SnapshotVisitor, SnapshotWalk } from "../core/keyspace/snapshot.ts";

/** How to run a snapshot job. */
export interface SnapshotJobOptions<C> {
  /** The databases to snapshot, as they are now. */
  dbs: readonly Db[];
  /** Serializes the image (RDB writer, AOF rewrite writer). */
  visitor: SnapshotVisitor<C>;
  /** Returns the bytes the visitor produced since the last call (empty when none). */
  drain(): Uint8Array;
  /** Writes bytes to the destination. */
  write(bytes: Uint8Array): Promise<void>;
  /** Least walking time per turn, in ms. Default 2. */
  sliceMs?: number;
  /**
   * `rdb-key-save-delay` in microseconds: when positive, one shard per turn
   * and a pause of that length per key it wrote, to make a save observable
   * in tests.
   */
  keyDelayMicros?: number;
  /** Stops the job: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each turn with the progress so far. */
  onProgress?(keysWritten: number, keysTotal: number): void;
  /**
   * A counter that grows while clients are served (commands processed).
   * When it did not move during a turn's yield, the next yield is a cheap
   * poll instead of a timer. Without it every yield is a timer.
   */
  activity?(): number;
}

/** What a finished job did. */
export interface SnapshotJobResult {
  /** Keys written. */
  keys: number;
  /** Keys present at the start. */
  keysTotal: number;
  /** Bytes passed to `write` by the job (not counting what the caller wrote before or after). */
  bytes: number;
}

/** Gives clients a turn: the event loop serves ready connections until a 0 ms timer fires (about 2 ms). */
export function yieldToClients(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const POLL_INPUT = new Uint8Array(1);

/** Lets the event loop poll I/O once (about 13 µs): an async op that completes at once. */
export function yieldToEventLoop(): Promise<void> {
  return crypto.subtle.digest("SHA-1", POLL_INPUT).then(() => {});
}

/**
 * Waits `ms`, or less when `signal` aborts first (a long `rdb-key-save-delay`
 * must not hold an aborted job, and its timer, for seconds).
 */
function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Starts the walk now (the image is the dataset at this instant) and runs it
 * to completion in the background.
 */
export function runSnapshotJob<C>(options: SnapshotJobOptions<C>): Promise<SnapshotJobResult> {
  const walk = new SnapshotWalk(options.dbs, options.visitor);
  return drive(walk, options);
}

async function drive<C>(
  walk: SnapshotWalk<C>,
  options: SnapshotJobOptions<C>,
): Promise<SnapshotJobResult> {
  const sliceMs = options.sliceMs ?? 2;
  let budget = sliceMs; // this turn's walking time
  const delay = options.keyDelayMicros ?? 0;
  let bytes = 0;
  let inFlight: Promise<void> | null = null;
  const activity = options.activity;
  let lastActivity = activity?.() ?? 0;
  // True when clients were served since the previous call (always, without a counter).
  const clientsActive = () => {
    if (activity === undefined) return true;
    const now = activity();
    const active = now !== lastActivity;
    lastActivity = now;
    return active;
  };
  try {
    while (true) {
      options.signal?.throwIfAborted();
      const keysBefore = walk.keysWritten;
      const done = walk.step({
        deadline: performance.now() + budget,
        maxKeys: delay > 0 ? 1 : undefined,
      });
      const chunk = options.drain();
      if (chunk.length > 0) {
        if (inFlight !== null) await inFlight;
        bytes += chunk.length;
        inFlight = options.write(chunk);
      }
      options.onProgress?.(walk.keysWritten, walk.keysTotal);
      if (delay > 0) {
        // A step visits a whole shard: pause for every key it wrote (the
        // last ones included), as Redis does after each key.
        const stepKeys = walk.keysWritten - keysBefore;
        if (stepKeys > 0 || !done) {
          await sleepUnlessAborted((delay * Math.max(1, stepKeys)) / 1000, options.signal);
        }
        if (done) break;
      } else if (done) break;
      else if (clientsActive()) {
        const yielded = performance.now();
        await yieldToClients();
        budget = Math.max(sliceMs, performance.now() - yielded);
      } else {
        budget = sliceMs;
        await yieldToEventLoop();
      }
    }
    if (inFlight !== null) await inFlight;
    return { keys: walk.keysWritten, keysTotal: walk.keysTotal, bytes };
  } catch (e) {
    walk.abort();
    if (inFlight !== null) await inFlight.catch(() => {});
    throw e;
  }
}
