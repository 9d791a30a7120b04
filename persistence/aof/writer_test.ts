import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { decodeLatin1 } from "../../core/bytes.ts";
import { Logger, MemorySink } from "../../core/log.ts";
import type { AofFile } from "./file.ts";
import { AofWriter, type FsyncPolicy } from "./writer.ts";

const ENOSPC = () => new Error("No space left on device (os error 28)");

/** An in-memory AOF file whose writes and fsyncs can be held or made to fail. */
class FakeFile implements AofFile {
  bytes: number[] = [];
  syncCalls = 0;
  /** Next writes throw this. */
  writeError: Error | null = null;
  /** Next write stores only this many bytes, then the following call throws. */
  shortWrite: number | null = null;
  syncError: Error | null = null;
  /** When set, fsyncs wait for {@link releaseSyncs}. */
  holdSyncs = false;
  truncations: number[] = [];
  closed = false;
  #held: (() => void)[] = [];

  get text(): string {
    return decodeLatin1(new Uint8Array(this.bytes));
  }

  writeSync(data: Uint8Array): number {
    if (this.writeError !== null) throw this.writeError;
    if (this.shortWrite !== null) {
      const n = this.shortWrite;
      this.shortWrite = null;
      this.writeError = ENOSPC();
      this.bytes.push(...data.subarray(0, n));
      return n;
    }
    this.bytes.push(...data);
    return data.length;
  }

  syncData(): Promise<void> {
    this.syncCalls++;
    const error = this.syncError;
    if (!this.holdSyncs) return error ? Promise.reject(error) : Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#held.push(() => (error ? reject(error) : resolve()));
    });
  }

  syncDataSync(): void {
    this.syncCalls++;
  }

  releaseSyncs(): void {
    const held = this.#held;
    this.#held = [];
    for (const release of held) release();
  }

  truncateSync(length: number): void {
    this.truncations.push(length);
    this.bytes.length = length;
  }

  close(): void {
    this.closed = true;
  }
}

function setup(policy: FsyncPolicy, clock = { now: 1_000_000 }) {
  const file = new FakeFile();
  const sink = new MemorySink();
  const writer = new AofWriter({
    file,
    size: 0,
    policy,
    log: new Logger("debug", sink),
    seq: 0,
    now: () => clock.now,
  });
  let seq = 0;
  /** Appends one unit the way the plugin does; returns its sequence number. */
  const append = (text: string): number => {
    writer.buffer.appendLine(text);
    writer.noteAppended(++seq);
    return seq;
  };
  return { file, writer, sink, append, clock };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("always: replies wait for the fsync; writes during an fsync share the next one", async () => {
  const { file, writer, append } = setup("always");
  file.holdSyncs = true;
  const released: number[] = [];
  const acknowledge = (seq: number) => released.push(seq);
  const first = append("u1");
  writer.whenDurable(first)!.then(() => acknowledge(first));
  await tick(); // the flush turn wrote u1 and started fsync #1
  equal(file.text, "u1\r\n");
  equal(file.syncCalls, 1);
  const later: number[] = [];
  for (let i = 2; i <= 50; i++) {
    const s = append(`u${i}`);
    later.push(s);
    writer.whenDurable(s)!.then(() => acknowledge(s));
  }
  await tick();
  equal(file.syncCalls, 1, "no second fsync while the first runs");
  ok(file.text.endsWith("u50\r\n"), "the later units are written at once");
  deepEqual(released, [], "nothing is acknowledged before its fsync");
  file.releaseSyncs(); // fsync #1 ends: covers u1 only
  await tick();
  deepEqual(released, [1]);
  equal(file.syncCalls, 1, "the next fsync waits for the client just released");
  // That client sends its next write: everyone is in, fsync #2 covers them all.
  const again = append("u51");
  writer.whenDurable(again)!.then(() => acknowledge(again));
  await tick();
  equal(file.syncCalls, 2);
  file.releaseSyncs();
  await tick();
  deepEqual(released, [1, ...later, again]);
  equal(writer.stats.fsyncs, 2);
  equal(writer.stats.units, 51);
  equal(writer.whenDurable(51), undefined, "durable units need no wait");
});

Deno.test("always: when released clients do not come back, the next fsync starts anyway", async () => {
  const { file, writer, append } = setup("always");
  file.holdSyncs = true;
  const first = append("u1");
  void writer.whenDurable(first);
  await tick();
  const second = append("u2");
  let durable = false;
  writer.whenDurable(second)!.then(() => durable = true);
  await tick();
  file.releaseSyncs(); // u1's client is released and stays silent
  // The wait ends when a 0 ms timer fires (1-2 ms in Deno): poll the event loop until then.
  const deadline = performance.now() + 1000;
  while (file.syncCalls < 2 && performance.now() < deadline) await tick();
  equal(file.syncCalls, 2, "fsync #2 started without the silent client");
  file.releaseSyncs();
  await tick();
  ok(durable);
});

Deno.test("everysec: written before the reply, fsynced once the second changes", async () => {
  const { file, writer, append, clock } = setup("everysec");
  const s1 = append("a");
  const wait = writer.whenDurable(s1);
  ok(wait !== undefined);
  equal(file.text, "");
  await wait;
  equal(file.text, "a\r\n");
  equal(file.syncCalls, 0, "no fsync within the same second");
  clock.now += 1000;
  writer.cron();
  equal(file.syncCalls, 1, "unsynced bytes get their fsync once a second passed");
  await tick();
  writer.cron();
  equal(file.syncCalls, 1, "nothing new to sync");
});

Deno.test("everysec: a write waits behind a slow fsync for up to 2 s, then is counted as delayed", async () => {
  const { file, writer, append, clock, sink } = setup("everysec");
  file.holdSyncs = true;
  await writer.whenDurable(append("a"));
  clock.now += 1000;
  writer.cron(); // starts a background fsync that does not finish
  equal(writer.fsyncInProgress, true);
  const s = append("b");
  const wait = writer.whenDurable(s);
  await wait; // the reply is not held by the postponed write
  equal(file.text, "a\r\n", "postponed");
  clock.now += 1000;
  writer.cron();
  equal(file.text, "a\r\n", "still postponed after 1 s");
  clock.now += 1000;
  writer.cron();
  equal(file.text, "a\r\nb\r\n", "written after 2 s");
  equal(writer.stats.delayedFsyncs, 1);
  ok(
    sink.lines.some((l) =>
      l.includes("Asynchronous AOF fsync is taking too long (disk is busy?).")
    ),
  );
  file.releaseSyncs();
});

Deno.test("always: a failed write rejects the held replies, refuses writes, and recovers", async () => {
  const { file, writer, append, sink } = setup("always");
  await writer.whenDurable(append("ok1"));
  file.writeError = ENOSPC();
  const s = append("lost?");
  await rejects(writer.whenDurable(s)!, /No space left on device/);
  equal(writer.misconf(), "MISCONF Errors writing to the AOF file: No space left on device");
  ok(sink.lines.some((l) => l.includes("Error writing to the AOF file: No space left on device")));
  equal(file.text, "ok1\r\n");
  writer.cron();
  equal(writer.failed, true, "still failing");
  file.writeError = null;
  writer.cron();
  equal(writer.misconf(), null);
  ok(sink.lines.some((l) => l.includes("AOF write error looks solved, Redis can write again.")));
  equal(file.text, "ok1\r\nlost?\r\n", "the buffered unit is written once, after recovery");
  await tick();
  equal(writer.whenDurable(s), undefined, "and fsynced");
});

Deno.test("a short write is cut off the file, kept buffered and written whole later", async () => {
  const { file, writer, append, sink } = setup("everysec");
  await writer.whenDurable(append("first"));
  file.shortWrite = 3;
  await writer.whenDurable(append("second"));
  deepEqual(file.truncations, [7]);
  equal(file.text, "first\r\n");
  ok(
    sink.lines.some((l) =>
      l.includes("Short write while writing to the AOF file: (nwritten=3, expected=8)")
    ),
  );
  equal(writer.misconf(), "MISCONF Errors writing to the AOF file: No space left on device");
  file.writeError = null;
  writer.cron();
  equal(file.text, "first\r\nsecond\r\n");
  equal(writer.failed, false);
});

Deno.test("everysec: a failed write does not hold replies (as in Redis)", async () => {
  const { file, writer, append } = setup("everysec");
  file.writeError = new Error("Input/output error (os error 5)");
  const wait = writer.whenDurable(append("x"));
  await wait;
  equal(writer.misconf(), "MISCONF Errors writing to the AOF file: Input/output error");
  equal(writer.whenDurable(2), undefined);
});

Deno.test("always: a failed fsync rejects its replies and is retried by the cron", async () => {
  const { file, writer, append, sink } = setup("always");
  file.syncError = new Error("Input/output error (os error 5)");
  await rejects(writer.whenDurable(append("a"))!, /Input\/output error/);
  ok(sink.lines.some((l) => l.includes("Fail to fsync the AOF file: Input/output error")));
  equal(writer.misconf(), "MISCONF Errors writing to the AOF file: Input/output error");
  file.syncError = null;
  writer.cron();
  await tick();
  equal(writer.misconf(), null);
  equal(file.syncCalls, 2);
});

Deno.test("no: writes without ever fsyncing", async () => {
  const { file, writer, append, clock } = setup("no");
  await writer.whenDurable(append("a"));
  clock.now += 5000;
  writer.cron();
  equal(file.text, "a\r\n");
  equal(file.syncCalls, 0);
});

Deno.test("switching files releases every held reply and appends to the new file", async () => {
  const { file, writer, append } = setup("always");
  file.holdSyncs = true;
  const s1 = append("a");
  const w1 = writer.whenDurable(s1)!;
  await tick();
  const s2 = append("b");
  const w2 = writer.whenDurable(s2)!;
  const next = new FakeFile();
  writer.switchFile(next, 100); // the new file already holds a and b, fsynced
  await Promise.all([w1, w2]);
  await writer.whenDurable(append("c"));
  equal(next.text, "c\r\n");
  equal(writer.size, 103);
  file.releaseSyncs();
  await tick();
  equal(file.closed, true, "the old file is closed once its fsync ended");
});

Deno.test("flushAndSync writes and fsyncs everything (shutdown)", async () => {
  const { file, writer, append } = setup("no");
  append("a");
  append("b");
  await writer.flushAndSync();
  equal(file.text, "a\r\nb\r\n");
  equal(file.syncCalls, 1);
});

Deno.test("continuing on a new file writes and fsyncs the old one first, then appends to the new", async () => {
  const { file, writer, append } = setup("always");
  file.holdSyncs = true;
  const s1 = append("a");
  const w1 = writer.whenDurable(s1)!;
  await tick(); // a is written, its fsync runs
  const s2 = append("b"); // buffered, not written yet
  const w2 = writer.whenDurable(s2)!;
  const next = new FakeFile();
  writer.continueOn(next, 0);
  equal(file.text, "a\r\nb\r\n", "the buffer went to the old file");
  await Promise.all([w1, w2]); // released by the synchronous fsync of the old file
  await writer.whenDurable(append("c"));
  equal(next.text, "c\r\n");
  file.releaseSyncs();
  await tick();
  equal(file.closed, true);
});
