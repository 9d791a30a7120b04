import { deepEqual, equal } from "node:assert/strict";
import { replaceFileSync } from "./files.ts";
import { withTempDir } from "../../tests/_helpers/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("cairn-files-", fn);

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) out.push(entry.name);
  return out.sort();
}

Deno.test("replaceFileSync renames over the target and then removes the old file's side name", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/dump.rdb`, "old");
    await Deno.writeTextFile(`${dir}/temp.rdb`, "new");
    const removeOld = replaceFileSync(`${dir}/temp.rdb`, `${dir}/dump.rdb`);
    // The rename is done when the call returns; the old file keeps its side name.
    equal(Deno.readTextFileSync(`${dir}/dump.rdb`), "new");
    deepEqual(await names(dir), ["dump.rdb", "temp.rdb.old"]);
    equal(Deno.readTextFileSync(`${dir}/temp.rdb.old`), "old");
    await removeOld();
    deepEqual(await names(dir), ["dump.rdb"]);
  });
});

Deno.test("replaceFileSync without an old file is a plain rename", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/temp.rdb`, "new");
    await replaceFileSync(`${dir}/temp.rdb`, `${dir}/dump.rdb`)();
    deepEqual(await names(dir), ["dump.rdb"]);
    equal(await Deno.readTextFile(`${dir}/dump.rdb`), "new");
  });
});

Deno.test("replaceFileSync removes a side name left behind by a crash", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/temp.rdb.old`, "leftover");
    await Deno.writeTextFile(`${dir}/dump.rdb`, "old");
    await Deno.writeTextFile(`${dir}/temp.rdb`, "new");
    await replaceFileSync(`${dir}/temp.rdb`, `${dir}/dump.rdb`)();
    deepEqual(await names(dir), ["dump.rdb"]);
    equal(await Deno.readTextFile(`${dir}/dump.rdb`), "new");
  });
});

Deno.test("replaceFileSync throws when the rename fails and leaves the target alone", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/dump.rdb`, "old");
    let error: unknown = null;
    try {
      replaceFileSync(`${dir}/missing.rdb`, `${dir}/dump.rdb`);
    } catch (e) {
      error = e;
    }
    equal(error instanceof Deno.errors.NotFound, true);
    deepEqual(await names(dir), ["dump.rdb"]);
    equal(await Deno.readTextFile(`${dir}/dump.rdb`), "old");
  });
});
