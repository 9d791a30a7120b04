/**
 * Loading the single-file AOF at startup yields to the event loop: clients
 * connected meanwhile get -LOADING, and INFO shows the loading_* fields.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { startLoadingServer } from "../_helpers/servers.ts";
import { MemorySink } from "../../core/log.ts";
import { plain, RespClient } from "../_helpers/resp_client.ts";
import { resp } from "./aof_helpers.ts";

Deno.test("clients get -LOADING while the AOF loads, then the data", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cairn-aof-loading-" });
  try {
    const records = 1000;
    let text = resp("SELECT", "0");
    for (let i = 0; i < records; i++) text += resp("SET", `k${i}`, "v");
    await Deno.writeTextFile(`${dir}/appendonly.aof`, text);
    const { port, started: starting } = startLoadingServer({
      config: {
        dir,
        save: "",
        appendonly: true,
        "aof-multi-part": false,
        "key-load-delay": 500, // microseconds per command: loading takes a while
      },
      logSink: new MemorySink(),
    });
    const client = await RespClient.connect(await port);
    deepEqual(
      plain(await client.send("PING")),
      new Error("LOADING Redis is loading the dataset in memory"),
    );
    const fields = new Map(
      (await client.call("INFO", "persistence") as string).split("\r\n").map((l) =>
        l.split(":") as [string, string]
      ),
    );
    equal(fields.get("loading"), "1");
    equal(fields.get("loading_total_bytes"), String(text.length));
    ok(Number(fields.get("loading_loaded_bytes")) < text.length);
    const server = await starting;
    try {
      equal(await client.call("PING"), "PONG");
      equal(await client.call("DBSIZE"), records);
    } finally {
      client.close();
      await server.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
