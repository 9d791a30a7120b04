import { deepEqual, equal, throws } from "node:assert/strict";
import {
  AofManifest,
  type AofManifestError,
  formatLine,
  parseManifest,
  readManifest,
  writeManifest,
} from "./manifest.ts";

function refused(text: string, message: string, line?: number) {
  throws(() => parseManifest(text), (e: unknown) => {
    equal((e as AofManifestError).message, message);
    if (line !== undefined) equal((e as AofManifestError).line, line);
    return true;
  });
}

Deno.test("manifest: Redis's lines round-trip, base first, then history, then incr", () => {
  const text = "file appendonly.aof.3.base.rdb seq 3 type b\n" +
    "file appendonly.aof.2.incr.aof seq 2 type h\n" +
    "file appendonly.aof.2.base.rdb seq 2 type h\n" +
    "file appendonly.aof.3.incr.aof seq 3 type i\n";
  const m = parseManifest(text);
  equal(m.base?.name, "appendonly.aof.3.base.rdb");
  equal(m.baseSeq, 3);
  equal(m.incrSeq, 3);
  deepEqual(m.history.map((h) => h.name), [
    "appendonly.aof.2.incr.aof",
    "appendonly.aof.2.base.rdb",
  ]);
  equal(m.toString(), text);
});

Deno.test("manifest: comments skipped, keys in any order and any case, unknown pairs ignored", () => {
  const m = parseManifest("# hello\nTYPE i SEQ 7 extra x FILE a.7.incr.aof\n");
  deepEqual(m.incrs, [{ name: "a.7.incr.aof", seq: 7, type: "i" }]);
});

Deno.test("manifest: names needing escapes are quoted and read back", () => {
  const name = 'my "aof"\tfile\x01\xff';
  const line = formatLine({ name, seq: 1, type: "b" });
  equal(line, 'file "my \\"aof\\"\\tfile\\x01\\xff" seq 1 type b\n');
  equal(parseManifest(line).base?.name, name);
});

Deno.test("manifest: what Redis refuses is refused with its message and line", () => {
  refused("", "Found an empty AOF manifest");
  refused("file a seq 1 type b", "The AOF manifest file contains too long line");
  refused(
    `file ${"x".repeat(1100)} seq 1 type b\n`,
    "The AOF manifest file contains too long line",
  );
  refused("file a seq 1 type b\n\n", "Invalid AOF manifest file format", 2);
  refused("file a seq 1 type\n", "Invalid AOF manifest file format", 1);
  refused("file a seq 0 type b\n", "Invalid AOF manifest file format");
  refused("file a seq x type b\n", "Invalid AOF manifest file format");
  refused('file "a seq 1 type b\n', "Invalid AOF manifest file format");
  refused("file d/a seq 1 type b\n", "File can't be a path, just a filename");
  refused("file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information", 2);
  refused("file a seq 2 type i\nfile b seq 2 type i\n", "Found a non-monotonic sequence number", 2);
  refused("file a seq 1 type x\n", "Unknown AOF file type");
});

Deno.test("manifest: errors log Redis's lines", () => {
  throws(() => parseManifest("file a seq 1 type b\nfile a seq 1 type q\n"), (e: unknown) => {
    deepEqual((e as AofManifestError).logLines(), [
      "*** FATAL AOF MANIFEST FILE ERROR ***",
      "Reading the manifest file, at line 2",
      ">>> 'file a seq 1 type q'",
      "Unknown AOF file type",
    ]);
    return true;
  });
});

Deno.test("manifest: rewrite bookkeeping follows Redis's numbering", () => {
  const m = new AofManifest();
  m.newBase("appendonly.aof", "rdb");
  m.newIncr("appendonly.aof");
  m.newIncr("appendonly.aof");
  const next = m.clone();
  next.newBase("appendonly.aof", "resp");
  next.retireIncrs(true);
  equal(
    next.toString(),
    "file appendonly.aof.2.base.aof seq 2 type b\n" +
      "file appendonly.aof.1.incr.aof seq 1 type h\n" +
      "file appendonly.aof.1.base.rdb seq 1 type h\n" +
      "file appendonly.aof.2.incr.aof seq 2 type i\n",
  );
  equal(m.history.length, 0, "the original is untouched");
  deepEqual(next.takeHistory().map((h) => h.seq), [1, 1]);
});

Deno.test("manifest: written through a temporary file and read back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const location = { dir, stem: "appendonly.aof" };
    equal(readManifest(location), null);
    const m = new AofManifest();
    m.newBase("appendonly.aof", "rdb");
    m.newIncr("appendonly.aof");
    writeManifest(location, m);
    equal(m.dirty, false);
    equal(readManifest(location)?.toString(), m.toString());
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["appendonly.aof.manifest"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
