/**
 * Starting from a multi-part AOF that is broken or unusual: manifests Redis
 * refuses (checked against redis-server 7.0.15's own log lines), listed
 * files that are missing, truncated files (only the last may be cut),
 * history files left by a crash, temporary files.
 */

import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { requireRedis, startTestServer } from "../_helpers/servers.ts";
import {
  digest,
  fileText,
  listDir,
  manifestOf,
  multipartAof,
  resp,
  run,
  tempDir,
  writeEveryType,
} from "./multipart_helpers.ts";
import { redisBinary } from "../_helpers/servers.ts";
import { MemorySink } from "../../core/log.ts";
import { startServer } from "../../server/server.ts";

/** Starts Cairn on `dir` expecting a refusal; returns its log lines. */
async function refusedStart(dir: string, config: Record<string, unknown>): Promise<string[]> {
  const sink = new MemorySink();
  await rejects(
    startServer({ config: { dir, save: "", ...config }, port: 0, logSink: sink }),
  );
  return sink.lines.map((l) => l.replace(/^\d+:[A-Z] .{24} [.\-*#] /, "").trimEnd());
}

/** Starts redis-server on `dir`, which must exit at once; returns its log lines. */
async function redisRefusal(dir: string): Promise<string[]> {
  const bin = redisBinary("redis-server")!;
  // No TCP port (a free one could be taken by another test before Redis binds it);
  // Redis refuses to run without any listener, so it gets a Unix socket.
  const { code } = await run(bin, [
    "--port",
    "0",
    "--unixsocket",
    `${dir}/redis.sock`,
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--save",
    "",
    "--logfile",
    `${dir}/redis.log`,
  ]);
  equal(code, 1, "redis-server exits with status 1");
  return Deno.readTextFileSync(`${dir}/redis.log`).split("\n")
    .map((l) => l.replace(/^\d+:[A-Z] .{24} [.\-*#] /, "").trim())
    .filter((l) => l !== "");
}

function writeAofDir(dir: string, files: Record<string, string>): void {
  Deno.mkdirSync(`${dir}/appendonlydir`, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    Deno.writeFileSync(
      `${dir}/appendonlydir/${name}`,
      Uint8Array.from(text, (c) => c.charCodeAt(0)),
    );
  }
}

const BROKEN_MANIFESTS: [string, string, string[]][] = [
  ["an empty manifest", "", ["Found an empty AOF manifest"]],
  [
    "a last line without its newline",
    "file appendonly.aof.1.incr.aof seq 1 type i",
    ["The AOF manifest file contains too long line"],
  ],
  [
    "a blank line",
    "file appendonly.aof.1.incr.aof seq 1 type i\n   \n",
    ["Reading the manifest file, at line 2", ">>> ''", "Invalid AOF manifest file format"],
  ],
  [
    "two bases",
    "file a.1.base.aof seq 1 type b\nfile a.2.base.aof seq 2 type b\n",
    [
      "Reading the manifest file, at line 2",
      ">>> 'file a.2.base.aof seq 2 type b'",
      "Found duplicate base file information",
    ],
  ],
  [
    "non-monotonic incr seqs",
    "file a.2.incr.aof seq 2 type i\nfile a.1.incr.aof seq 1 type i\n",
    [
      "Reading the manifest file, at line 2",
      ">>> 'file a.1.incr.aof seq 1 type i'",
      "Found a non-monotonic sequence number",
    ],
  ],
  [
    "a path instead of a name",
    "file ../x seq 1 type b\n",
    [
      "Reading the manifest file, at line 1",
      ">>> 'file ../x seq 1 type b'",
      "File can't be a path, just a filename",
    ],
  ],
  [
    "an unknown type",
    "file a seq 1 type z\n",
    ["Reading the manifest file, at line 1", ">>> 'file a seq 1 type z'", "Unknown AOF file type"],
  ],
  [
    "a missing seq",
    "file a type b\n",
    [
      "Reading the manifest file, at line 1",
      ">>> 'file a type b'",
      "Invalid AOF manifest file format",
    ],
  ],
];

for (const [what, manifest, expected] of BROKEN_MANIFESTS) {
  Deno.test(`a manifest with ${what} is refused with Redis's lines`, async () => {
    const dir = await tempDir();
    try {
      writeAofDir(dir, { "appendonly.aof.manifest": manifest });
      const lines = await refusedStart(dir, { appendonly: true });
      const at = lines.indexOf("*** FATAL AOF MANIFEST FILE ERROR ***");
      ok(at >= 0, lines.join("\n"));
      deepEqual(lines.slice(at + 1, at + 1 + expected.length), expected);
      if (!requireRedis()) return;
      const redis = await redisRefusal(dir);
      const redisAt = redis.indexOf("*** FATAL AOF MANIFEST FILE ERROR ***");
      ok(redisAt >= 0, redis.join("\n"));
      deepEqual(redis.slice(redisAt + 1), expected, "redis-server logs the same lines");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a broken manifest is refused even with appendonly no, as in Redis", async () => {
  const dir = await tempDir();
  try {
    writeAofDir(dir, { "appendonly.aof.manifest": "" });
    const lines = await refusedStart(dir, {});
    ok(lines.includes("Found an empty AOF manifest"), lines.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a listed file that is missing is fatal, with Redis's line", async () => {
  const dir = await tempDir();
  try {
    writeAofDir(dir, {
      "appendonly.aof.manifest":
        "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
      "appendonly.aof.1.incr.aof": resp("SET", "a", "1"),
    });
    const expected =
      "Unable to obtain the AOF file appendonly.aof.1.base.aof length. stat: No such file or directory";
    ok((await refusedStart(dir, { appendonly: true })).includes(expected));
    if (!requireRedis()) return;
    ok((await redisRefusal(dir)).includes(expected), "redis-server logs the same line");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a truncated last incr file is cut and loaded (aof-load-truncated yes) or refused (no)", async () => {
  const dir = await tempDir();
  try {
    const good = resp("SELECT", "0") + resp("SET", "a", "1");
    writeAofDir(dir, {
      "appendonly.aof.manifest":
        "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
      "appendonly.aof.1.base.aof": resp("SELECT", "0") + resp("SET", "base", "0"),
      "appendonly.aof.1.incr.aof": good + "*3\r\n$3\r\nSET\r\n$1\r\nb",
    });
    const lines = await refusedStart(dir, { appendonly: true, "aof-load-truncated": false });
    ok(
      lines.some((l) =>
        l.startsWith(
          "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof",
        )
      ),
    );
    await using t = await startTestServer(multipartAof(), { dir });
    const c = await t.client();
    deepEqual(await c.call("MGET", "base", "a", "b"), ["0", "1", null]);
    equal(Deno.statSync(`${dir}/appendonlydir/appendonly.aof.1.incr.aof`).size, good.length);
    match(t.log.lines.join("\n"), /Truncating the AOF appendonly\.aof\.1\.incr\.aof at offset \d+/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a truncated file that is not the last one is fatal and left as it is", async () => {
  const dir = await tempDir();
  try {
    const base = resp("SELECT", "0") + resp("SET", "base", "0") + "*3\r\n$3\r\nSET";
    writeAofDir(dir, {
      "appendonly.aof.manifest":
        "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
      "appendonly.aof.1.base.aof": base,
      "appendonly.aof.1.incr.aof": resp("SELECT", "0") + resp("SET", "a", "1"),
    });
    const lines = await refusedStart(dir, { appendonly: true });
    ok(lines.includes("Fatal error: the truncated file is not the last file"), lines.join("\n"));
    equal(fileText(`${dir}/appendonlydir/appendonly.aof.1.base.aof`), base, "not cut");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history files a crash left listed are deleted at the next start", async () => {
  const dir = await tempDir();
  try {
    let before: string;
    {
      await using t = await startTestServer(multipartAof({ "aof-disable-auto-gc": true }), { dir });
      const c = await t.client();
      await writeEveryType(c);
      await c.call("BGREWRITEAOF");
      while (
        (await c.call("INFO", "persistence") as string).includes("aof_rewrite_in_progress:1")
      ) {
        await new Promise((r) => setTimeout(r, 5));
      }
      before = await digest(c);
    }
    ok(manifestOf(dir).includes("type h"));
    await using t = await startTestServer(multipartAof(), { dir });
    equal(await digest(await t.client()), before);
    equal(
      manifestOf(dir),
      "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
    );
    deepEqual(listDir(`${dir}/appendonlydir`), [
      "appendonly.aof.2.base.rdb",
      "appendonly.aof.2.incr.aof",
      "appendonly.aof.manifest",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("redis-server refuses the same truncated middle file (differential)", async () => {
  if (!requireRedis()) return;
  const dir = await tempDir();
  try {
    writeAofDir(dir, {
      "appendonly.aof.manifest":
        "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
      "appendonly.aof.1.base.aof": resp("SET", "base", "0") + "*3\r\n$3\r\nSET",
      "appendonly.aof.1.incr.aof": resp("SET", "a", "1"),
    });
    ok((await redisRefusal(dir)).includes("Fatal error: the truncated file is not the last file"));
    // (Redis cuts the middle file before refusing; Cairn leaves it untouched.)
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
