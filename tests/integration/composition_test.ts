/**
 * The persistence plugins compose: each combination below writes a dataset
 * of every type (with a rewrite in the middle when an AOF is there),
 * restarts — SHUTDOWN in-process, and SIGKILL of a `main.ts` process for
 * the combinations the configuration selects — and compares DEBUG DIGEST.
 * With no plugin at all nothing survives a restart, and no file is written.
 * No plugin imports another plugin's modules.
 */

import { equal, ok } from "node:assert/strict";
import type { CairnPlugin } from "../../core/plugin.ts";
import { rdbSnapshotPlugin } from "../../plugins/rdb-snapshot/mod.ts";
import { createAofClassicPlugin } from "../../plugins/aof-classic/mod.ts";
import { createAofMultipartPlugin } from "../../plugins/aof-multipart/mod.ts";
import { hybridPreamblePlugin } from "../../plugins/hybrid-preamble/mod.ts";
import { startTestServer } from "../_helpers/servers.ts";
import {
  digest,
  fileText,
  listDir,
  nextRewrite,
  spawnCairn,
  tempDir,
  writeEveryType,
} from "./multipart_helpers.ts";

interface Combination {
  name: string;
  plugins: () => CairnPlugin[];
  /** The file a rewrite's base ends up in, when an AOF is there. */
  base?: (dir: string) => string;
  /** The base is an RDB image. */
  rdbBase?: boolean;
}

const multipartBase = (dir: string) => `${dir}/appendonlydir/appendonly.aof.2.base.rdb`;
const multipartRespBase = (dir: string) => `${dir}/appendonlydir/appendonly.aof.2.base.aof`;
const classicFile = (dir: string) => `${dir}/appendonly.aof`;

const COMBINATIONS: Combination[] = [
  { name: "RDB snapshots alone", plugins: () => [rdbSnapshotPlugin()] },
  {
    name: "multi-part AOF alone (RESP bases)",
    plugins: () => [createAofMultipartPlugin()],
    base: multipartRespBase,
  },
  {
    name: "single-file AOF alone (RESP base)",
    plugins: () => [createAofClassicPlugin()],
    base: classicFile,
  },
  {
    name: "hybrid preamble with the multi-part AOF",
    plugins: () => [hybridPreamblePlugin(), createAofMultipartPlugin()],
    base: multipartBase,
    rdbBase: true,
  },
  {
    name: "hybrid preamble with the single-file AOF",
    plugins: () => [createAofClassicPlugin(), hybridPreamblePlugin()],
    base: classicFile,
    rdbBase: true,
  },
  {
    name: "RDB snapshots, hybrid preamble and the multi-part AOF (the default set)",
    plugins: () => [rdbSnapshotPlugin(), hybridPreamblePlugin(), createAofMultipartPlugin()],
    base: multipartBase,
    rdbBase: true,
  },
];

for (const combination of COMBINATIONS) {
  Deno.test(`composition: ${combination.name} restores the dataset after SHUTDOWN`, async () => {
    const dir = await tempDir("cairn-compose-");
    try {
      const aof = combination.base !== undefined;
      const config = { appendonly: aof, "enable-debug-command": "yes" };
      let expected: string;
      {
        await using t = await startTestServer(config, { dir, plugins: combination.plugins() });
        const c = await t.client();
        await writeEveryType(c, "a");
        if (aof) {
          const ended = nextRewrite(t.server);
          equal(await c.call("BGREWRITEAOF"), "Background append only file rewriting started");
          equal(await ended, "ok");
          const base = fileText(combination.base!(dir));
          equal(base.startsWith("REDIS"), combination.rdbBase === true, "the base's format");
        }
        await writeEveryType(c, "b");
        await c.call("DEL", "str:a");
        expected = await digest(c);
        // RDB alone persists only through a save: SHUTDOWN SAVE.
        equal(await t.server.shutdown({ save: aof ? undefined : "save" }), null);
      }
      await using t = await startTestServer(config, { dir, plugins: combination.plugins() });
      equal(await digest(await t.client()), expected);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("composition: with no plugin at all nothing is written and nothing survives", async () => {
  const dir = await tempDir("cairn-compose-");
  try {
    {
      await using t = await startTestServer({ "enable-debug-command": "yes" }, {
        dir,
        plugins: [],
      });
      const c = await t.client();
      await writeEveryType(c, "a");
      ok(await c.call("DBSIZE") as number > 0);
      equal((await c.send("BGREWRITEAOF")).type, "error", "no plugin provides BGREWRITEAOF");
      equal(await t.server.shutdown(), null);
    }
    equal(listDir(dir).length, 0, "no file was written");
    await using t = await startTestServer({ "enable-debug-command": "yes" }, { dir, plugins: [] });
    equal(await (await t.client()).call("DBSIZE"), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The combinations `main.ts` builds from its configuration, killed with SIGKILL. */
const KILLED: [string, Record<string, string>][] = [
  ["multi-part AOF with RDB bases", { "aof-multi-part": "yes", "aof-use-rdb-preamble": "yes" }],
  ["multi-part AOF with RESP bases", { "aof-multi-part": "yes", "aof-use-rdb-preamble": "no" }],
  ["single-file AOF with an RDB preamble", {
    "aof-multi-part": "no",
    "aof-use-rdb-preamble": "yes",
  }],
  ["single-file AOF in RESP", { "aof-multi-part": "no", "aof-use-rdb-preamble": "no" }],
];

for (const [name, directives] of KILLED) {
  Deno.test(`composition: ${name} restores the dataset after SIGKILL`, async () => {
    const dir = await tempDir("cairn-compose-kill-");
    try {
      const all = { appendonly: "yes", "enable-debug-command": "yes", ...directives };
      let expected: string;
      {
        await using p = await spawnCairn(dir, all);
        const c = await p.client();
        await writeEveryType(c, "a");
        await c.call("BGREWRITEAOF");
        while (
          (await c.call("INFO", "persistence") as string).includes("aof_rewrite_in_progress:1")
        ) {
          await new Promise((r) => setTimeout(r, 10));
        }
        await writeEveryType(c, "b");
        expected = await digest(c);
        await p.kill();
      }
      await using p = await spawnCairn(dir, all);
      equal(await digest(await p.client()), expected);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("composition: no plugin imports another plugin's modules", () => {
  const root = new URL("../../plugins/", import.meta.url).pathname;
  const plugins = [...Deno.readDirSync(root)].filter((e) => e.isDirectory).map((e) => e.name);
  ok(plugins.length >= 4);
  for (const plugin of plugins) {
    for (const file of Deno.readDirSync(`${root}${plugin}`)) {
      if (!file.name.endsWith(".ts")) continue;
      const text = Deno.readTextFileSync(`${root}${plugin}/${file.name}`);
      for (const [, spec] of text.matchAll(/from\s+"([^"]+)"/g)) {
        for (const other of plugins) {
          if (other === plugin) continue;
          ok(
            !spec.includes(`/${other}/`) && !spec.startsWith(`../${other}`),
            `plugins/${plugin}/${file.name} imports ${spec}`,
          );
        }
      }
    }
  }
});
