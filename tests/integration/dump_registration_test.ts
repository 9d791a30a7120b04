import { deepEqual, equal, ok } from "node:assert/strict";
import { startTestServer } from "../_helpers/servers.ts";

Deno.test("DUMP and RESTORE are served, and DEBUG SET-SKIP-CHECKSUM-VALIDATION lets a bad CRC through", async () => {
  await using t = await startTestServer({ "enable-debug-command": "yes" });
  const c = await t.client();
  await c.send("SET", "k", "hello");
  const dumped = await c.send("DUMP", "k");
  equal(dumped.type, "bulk");
  const payload = (dumped as { value: string }).value;
  const broken = payload.slice(0, -1) +
    String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 1);
  deepEqual(await c.send("RESTORE", "k2", 0, broken), {
    type: "error",
    value: "ERR DUMP payload version or checksum are wrong",
  });
  deepEqual(await c.send("DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", 1), {
    type: "simple",
    value: "OK",
  });
  deepEqual(await c.send("RESTORE", "k2", 0, broken), { type: "simple", value: "OK" });
  deepEqual(await c.send("GET", "k2"), { type: "bulk", value: "hello" });
  const info = await c.send("DEBUG", "OBJECT", "k");
  ok(info.type === "simple" && info.value.includes("serializedlength:6"), JSON.stringify(info));
});
