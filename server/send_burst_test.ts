import { deepEqual } from "node:assert/strict";
import { SendBurst } from "./send_burst.ts";

/** Three connections whose reads completed in the same turn: each runs, joins, then sends. */
async function turn(burst: SendBurst, log: string[], round: number): Promise<void> {
  await Promise.all([1, 2, 3].map(async (id) => {
    await null; // the read's promise resolving
    log.push(`run ${round}.${id}`);
    await burst.join();
    log.push(`send ${round}.${id}`);
  }));
}

Deno.test("a turn's sends start after every connection of the turn has run, and the next turn forms a new burst", async () => {
  const burst = new SendBurst();
  const log: string[] = [];
  await turn(burst, log, 1);
  await turn(burst, log, 2);
  deepEqual(log, [
    ...["run 1.1", "run 1.2", "run 1.3", "send 1.1", "send 1.2", "send 1.3"],
    ...["run 2.1", "run 2.2", "run 2.3", "send 2.1", "send 2.2", "send 2.3"],
  ]);
});
