import { equal } from "node:assert/strict";
import { describeMismatches, diffAgainstRedis } from "../_helpers/differential.ts";

Deno.test("GET and SET reply like redis-server, binary keys and values included", async () => {
  const binary = String.fromCharCode(0, 1, 13, 10, 200, 255);
  const mismatches = await diffAgainstRedis([
    { args: ["SET", "a", "1"] },
    { args: ["GET", "a"] },
    { args: ["GET", "missing"] },
    { args: ["SET", binary, binary] },
    { args: ["GET", binary] },
    { args: ["GET"] },
    { args: ["PING"] },
    { args: ["PING", "x"] },
  ]);
  if (mismatches === null) return;
  equal(mismatches.length, 0, describeMismatches(mismatches));
});
