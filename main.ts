/**
 * The `cairn` command: runs the server, like `redis-server [config] [--directive value ...]`.
 *
 * @module
 */

import { startServer } from "./server/server.ts";

if (import.meta.main) {
  const server = await startServer({ handleSignals: true });
  await server.finished;
}
