import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { latin1Bytes } from "../../core/bytes.ts";
import { Logger, MemorySink } from "../../core/log.ts";
import { defaultLimits } from "../../core/values/limits.ts";
import type { Value } from "../../core/values/value.ts";
import { encodeRdb } from "../rdb/writer.ts";
import { AofLoadError } from "./errors.ts";
import { loadAofFile } from "./loader.ts";
import type { AofReplayTarget } from "./replay.ts";

/** RESP text of one command, written out independently of the encoder. */
function cmd(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

/** Records what the loader replays, with Redis's MULTI queueing. */
class RecordingTarget implements AofReplayTarget {
  readonly limits = defaultLimits();
  readonly databases = 16;
  applied: string[] = [];
  keys: [number, string, Value, number][] = [];
  #queue: string[] | null = null;
  known = new Set(["select", "set", "incr", "rpush", "del", "multi", "exec", "get"]);

  get inMulti(): boolean {
    return this.#queue !== null;
  }

  apply(argv: string[]): boolean {
    const name = argv[0].toLowerCase();
    if (!this.known.has(name)) return false;
    if (this.#queue !== null && name !== "exec") this.#queue.push(argv.join(" "));
    else if (name === "multi") this.#queue = [];
    else if (name === "exec") {
      this.applied.push(...(this.#queue ?? []));
      this.#queue = null;
    } else this.applied.push(argv.join(" "));
    return true;
  }

  discardMulti(): void {
    this.#queue = null;
  }

  addKey(db: number, key: string, value: Value, expireAt: number): void {
    this.keys.push([db, key, value, expireAt]);
  }
}

/** A small AOF: its records (text and whether each is a whole replayable unit). */
const RECORDS: { text: string; unit: string[] | null }[] = [
  { text: cmd("SELECT", "0"), unit: ["SELECT 0"] },
  { text: cmd("set", "a", "1"), unit: ["set a 1"] },
  { text: cmd("MULTI"), unit: null },
  { text: cmd("set", "b", "2"), unit: null },
  { text: cmd("incr", "c"), unit: null },
  { text: cmd("EXEC"), unit: ["set b 2", "incr c"] },
  { text: "#TS:1700000000\r\n", unit: [] },
  { text: cmd("rpush", "l", "x", "yy"), unit: ["rpush l x yy"] },
  { text: cmd("SELECT", "1"), unit: ["SELECT 1"] },
  { text: cmd("set", "d", "4"), unit: ["set d 4"] },
];
const FULL = RECORDS.map((r) => r.text).join("");

/**
 * What loading the first `cut` bytes must give, derived from the record
 * list: the units complete before the cut, and the size the file is cut to.
 */
function expectedPrefix(cut: number): { applied: string[]; size: number; clean: boolean } {
  const applied: string[] = [];
  let end = 0;
  let lastCommandEnd = 0;
  let safe = 0; // end of the last command outside a transaction
  let inMulti = false;
  for (const r of RECORDS) {
    if (end + r.text.length > cut) break;
    end += r.text.length;
    if (r.text.startsWith("#")) continue;
    lastCommandEnd = end;
    if (r.text === cmd("MULTI")) inMulti = true;
    if (r.unit !== null) {
      applied.push(...r.unit);
      inMulti = false;
      safe = end;
    }
  }
  const clean = end === cut && !inMulti;
  return { applied, size: clean ? cut : inMulti ? safe : lastCommandEnd, clean };
}

async function withFile<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  const path = await Deno.makeTempFile({ suffix: ".aof" });
  try {
    await Deno.writeFile(path, bytes);
    return await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

function logger(): { log: Logger; sink: MemorySink } {
  const sink = new MemorySink();
  return { log: new Logger("debug", sink), sink };
}

Deno.test("a cut at every byte offset loads a prefix of whole units (aof-load-truncated yes)", async () => {
  for (let cut = 0; cut <= FULL.length; cut++) {
    const expected = expectedPrefix(cut);
    await withFile(latin1Bytes(FULL.slice(0, cut)), async (path) => {
      const target = new RecordingTarget();
      const { log, sink } = logger();
      const result = await loadAofFile({
        path,
        name: "appendonly.aof",
        target,
        log,
        loadTruncated: true,
        chunkBytes: 7,
      });
      deepEqual(target.applied, expected.applied, `cut at ${cut}`);
      equal((await Deno.stat(path)).size, expected.size, `file size after a cut at ${cut}`);
      if (cut === 0) equal(result.status, "empty");
      else if (expected.clean) equal(result.status, "ok", `cut at ${cut}`);
      else {
        equal(result.status, "truncated", `cut at ${cut}`);
        ok(
          sink.lines.some((l) =>
            l.includes("!!! Warning: short read while loading the AOF file appendonly.aof!!!")
          ),
        );
        ok(
          sink.lines.some((l) =>
            l.includes(`!!! Truncating the AOF appendonly.aof at offset ${expected.size} !!!`)
          ),
        );
        ok(
          sink.lines.some((l) =>
            l.includes("AOF appendonly.aof loaded anyway because aof-load-truncated is enabled")
          ),
        );
        // What is left on disk loads cleanly to the same data.
        const again = new RecordingTarget();
        const second = await loadAofFile({ path, target: again, log, loadTruncated: false });
        ok(second.status === "ok" || second.status === "empty");
        deepEqual(again.applied, expected.applied);
      }
    });
  }
});

Deno.test("a cut at every byte offset is refused, not loaded, with aof-load-truncated no", async () => {
  for (let cut = 1; cut <= FULL.length; cut++) {
    const expected = expectedPrefix(cut);
    await withFile(latin1Bytes(FULL.slice(0, cut)), async (path) => {
      const target = new RecordingTarget();
      const { log, sink } = logger();
      const load = () => loadAofFile({ path, name: "x.aof", target, log, loadTruncated: false });
      if (expected.clean) {
        equal((await load()).status, "ok");
        return;
      }
      await rejects(load, (e) => e instanceof AofLoadError && e.kind === "truncated");
      equal((await Deno.stat(path)).size, cut, "the file is left alone");
      ok(
        sink.lines.some((l) =>
          l.includes("Unexpected end of file reading the append only file x.aof. You can: 1)")
        ),
      );
    });
  }
});

Deno.test("an unfinished MULTI at the end is reverted and logged", async () => {
  const text = cmd("set", "a", "1") + cmd("MULTI") + cmd("set", "b", "2");
  await withFile(latin1Bytes(text), async (path) => {
    const target = new RecordingTarget();
    const { log, sink } = logger();
    const result = await loadAofFile({ path, name: "f.aof", target, log, loadTruncated: true });
    equal(result.status, "truncated");
    deepEqual(target.applied, ["set a 1"]);
    equal(result.size, cmd("set", "a", "1").length);
    ok(
      sink.lines.some((l) =>
        l.includes("Revert incomplete MULTI/EXEC transaction in AOF file f.aof")
      ),
    );
  });
});

Deno.test("corruption is fatal and names the file, the offset and the record", async () => {
  const good = cmd("set", "a", "1") + cmd("set", "b", "2");
  for (const bad of ["+OK\r\n", "*0\r\n", "*2\r\n?3\r\nset\r\n", "*1\r\n$-4\r\n"]) {
    await withFile(latin1Bytes(good + bad + cmd("set", "c", "3")), async (path) => {
      const { log, sink } = logger();
      await rejects(
        loadAofFile({
          path,
          name: "c.aof",
          target: new RecordingTarget(),
          log,
          loadTruncated: true,
        }),
        (e) => {
          ok(e instanceof AofLoadError);
          equal(e.kind, "format");
          equal(e.offset, good.length);
          ok(e.message.includes("c.aof") && e.message.includes(`offset ${good.length}`), e.message);
          ok(e.message.includes(JSON.stringify(bad.slice(0, 3)).slice(1, -1)), e.message);
          return true;
        },
      );
      ok(
        sink.lines.some((l) =>
          l.includes("Bad file format reading the append only file c.aof: make a backup")
        ),
      );
    });
  }
});

Deno.test("an unknown command is fatal with Redis's message", async () => {
  await withFile(latin1Bytes(cmd("set", "a", "1") + cmd("FROB", "x")), async (path) => {
    const { log, sink } = logger();
    await rejects(
      loadAofFile({ path, name: "u.aof", target: new RecordingTarget(), log, loadTruncated: true }),
      (e) => e instanceof AofLoadError && e.kind === "unknown-command",
    );
    ok(
      sink.lines.some((l) =>
        l.includes("Unknown command 'FROB' reading the append only file u.aof")
      ),
    );
  });
});

Deno.test("records larger than the read window and annotations split across chunks", async () => {
  const big = "v".repeat(100_000);
  const text = "#TS:1\r\n" + cmd("set", "big", big) + "#TS:2\r\n" + cmd("set", "a", "1");
  await withFile(latin1Bytes(text), async (path) => {
    const target = new RecordingTarget();
    const result = await loadAofFile({
      path,
      target,
      log: logger().log,
      loadTruncated: false,
      chunkBytes: 1000,
    });
    equal(result.status, "ok");
    deepEqual(target.applied, [`set big ${big}`, "set a 1"]);
  });
});

Deno.test("a huge declared length past the end of the file is a truncated tail, not an allocation", async () => {
  const text = cmd("set", "a", "1") + "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$9999999999\r\nxx";
  await withFile(latin1Bytes(text), async (path) => {
    const target = new RecordingTarget();
    const result = await loadAofFile({ path, target, log: logger().log, loadTruncated: true });
    equal(result.status, "truncated");
    equal(result.size, cmd("set", "a", "1").length);
  });
});

Deno.test("an RDB preamble is loaded, then the RESP tail after its checksum", async () => {
  const limits = defaultLimits();
  const rdb = encodeRdb([{ index: 0, entries: [["k1", "v1", -1], ["k2", "v2", 1234]] }], {
    limits,
  }, { extra: [["aof-preamble", "1"]] });
  const tail = latin1Bytes(cmd("set", "k3", "v3"));
  const bytes = new Uint8Array(rdb.length + tail.length);
  bytes.set(rdb);
  bytes.set(tail, rdb.length);
  await withFile(bytes, async (path) => {
    const target = new RecordingTarget();
    const { log, sink } = logger();
    const result = await loadAofFile({ path, target, log, loadTruncated: false, chunkBytes: 64 });
    equal(result.status, "ok");
    equal(result.rdbKeys, 2);
    deepEqual(target.keys.map(([db, k, v, t]) => [db, k, v, t]), [
      [0, "k1", "v1", -1],
      [0, "k2", "v2", 1234],
    ]);
    deepEqual(target.applied, ["set k3 v3"]);
    ok(sink.lines.some((l) => l.includes("Reading RDB preamble from AOF file...")));
    ok(sink.lines.some((l) => l.includes("Reading the remaining AOF tail...")));
  });
});

Deno.test("a missing file reports not-exist; an empty one loads nothing", async () => {
  const target = new RecordingTarget();
  const missing = await loadAofFile({
    path: "/nonexistent/dir/appendonly.aof",
    target,
    log: logger().log,
    loadTruncated: true,
  });
  equal(missing.status, "not-exist");
  await withFile(new Uint8Array(0), async (path) => {
    const result = await loadAofFile({ path, target, log: logger().log, loadTruncated: true });
    equal(result.status, "empty");
    deepEqual(target.applied, []);
  });
});
