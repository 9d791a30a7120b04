import { deepEqual, equal, ok } from "node:assert/strict";
import { startTestServer } from "../../tests/_helpers/servers.ts";
import { CairnProcess } from "../../tests/_helpers/cairn_process.ts";
import { RespClient } from "../../tests/_helpers/resp_client.ts";
import { decodeArg, type JournalEntry, jsonlJournalPlugin } from "./mod.ts";

function readJournal(path: string): JournalEntry[] {
  return Deno.readTextFileSync(path).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

function argvOf(entry: JournalEntry): string[][] {
  return entry.ops.map((op) => op.argv.map(decodeArg));
}

Deno.test("jsonl-journal: every unit is one line, in the file when its reply arrives", async () => {
  await using t = await startTestServer({}, { extraPlugins: [jsonlJournalPlugin()] });
  const c = await t.client();
  const path = `${t.dir}/journal.jsonl`;
  await c.call("SET", "k\x00\xff", "v\r\n\x80");
  // The reply arrived: the line is in the file.
  let entries = readJournal(path);
  equal(entries.length, 1);
  deepEqual(argvOf(entries[0]), [["SET", "k\x00\xff", "v\r\n\x80"]]);
  await c.pipeline([["MULTI"], ["INCR", "n"], ["SELECT", 2], ["SET", "x", "y"], ["EXEC"]]);
  await c.call("SET", "plain", "1", "EX", 100); // propagated in its replayable form
  await c.call("GET", "plain"); // reads are not journaled
  entries = readJournal(path);
  equal(entries.length, 3);
  equal(entries[1].atomic, true);
  deepEqual(entries[1].ops.map((op) => op.db), [0, 2]);
  deepEqual(argvOf(entries[1]), [["INCR", "n"], ["SET", "x", "y"]]);
  equal(argvOf(entries[2])[0][3], "PXAT");
  ok(entries[0].seq < entries[1].seq && entries[1].seq < entries[2].seq);
});

Deno.test("jsonl-journal: INFO, JOURNAL.STATS, CONFIG SET journal-enabled and DEBUG JOURNAL-ROTATE", async () => {
  await using t = await startTestServer(
    { "enable-debug-command": "yes" },
    { extraPlugins: [jsonlJournalPlugin()] },
  );
  const c = await t.client();
  await c.call("SET", "a", "1");
  const [lines, bytes] = await c.call("JOURNAL.STATS") as number[];
  equal(lines, 1);
  equal(bytes, Deno.statSync(`${t.dir}/journal.jsonl`).size);
  ok((await c.call("INFO", "journal") as string).includes("journal_lines:1\r\n"));
  equal(await c.call("CONFIG", "SET", "journal-enabled", "no"), "OK");
  await c.call("SET", "b", "2");
  equal(readJournal(`${t.dir}/journal.jsonl`).length, 1, "nothing is journaled while disabled");
  await c.call("CONFIG", "SET", "journal-enabled", "yes");
  const rotated = await c.call("DEBUG", "JOURNAL-ROTATE") as string;
  equal(readJournal(rotated).length, 1);
  await c.call("SET", "c", "3");
  deepEqual(argvOf(readJournal(`${t.dir}/journal.jsonl`)[0]), [["SET", "c", "3"]]);
});

Deno.test("jsonl-journal: loaded by the plugins config key of a cairn process", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-journal-" });
  const cairn = CairnProcess.inDir(dir, [
    "--save",
    "",
    "--plugins",
    new URL("./mod.ts", import.meta.url).pathname,
    "--journal-file",
    "audit.jsonl",
  ]);
  try {
    await cairn.waitFor("Ready to accept connections");
    const c = await RespClient.connect(cairn.port);
    await c.call("SET", "k", "v");
    deepEqual(await c.call("JOURNAL.STATS"), [1, Deno.statSync(`${dir}/audit.jsonl`).size]);
    c.close();
  } finally {
    cairn.kill("SIGKILL");
    await cairn.exitCode();
    await Deno.remove(dir, { recursive: true });
  }
});
