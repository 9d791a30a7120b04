import { deepEqual, equal } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";
import type { WriteEvent } from "../../core/events.ts";

Deno.test("keys SCAN finds expired are propagated as a non-atomic unit; a command's are atomic", async () => {
  await using t = await startTestServer({ "enable-debug-command": "yes" });
  const c = await t.client();
  await c.send("DEBUG", "SET-ACTIVE-EXPIRE", "0");
  for (const k of ["a", "b", "c"]) await c.send("SET", k, "1");
  const db = t.server.core.dbs[0];
  db.setExpire("a", Date.now() - 1000);
  db.setExpire("b", Date.now() - 1000);
  const events: WriteEvent[] = [];
  t.server.core.bus.on("write", (e) => events.push(e));

  await c.send("SCAN", "0", "COUNT", "100");
  equal(events.length, 1);
  deepEqual(events[0].ops.map((o) => o.argv).sort(), [["DEL", "a"], ["DEL", "b"]]);
  equal(events[0].atomic, false, "SCAN's deletions are not wrapped in MULTI/EXEC");

  db.setExpire("c", Date.now() - 1000);
  await c.send("SET", "c", "2", "XX");
  equal(events.length, 2);
  deepEqual(events[1].ops.map((o) => o.argv), [["DEL", "c"]]);
  equal(events[1].atomic, true);
});

Deno.test("a key expires only once the clock is strictly past its time", async () => {
  await using t = await startTestServer();
  const c = await t.client();
  await c.send("SET", "k", "v");
  const db = t.server.core.dbs[0];
  const core = t.server.core;
  core.beginUnit();
  try {
    db.setExpire("k", core.now());
    equal(db.peek("k"), "v", "expire time == now: still alive");
  } finally {
    core.endUnit();
  }
});
