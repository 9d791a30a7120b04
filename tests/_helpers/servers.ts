/**
 * Starting servers for tests: Cairn in-process or as a subprocess, and the
 * reference redis-server, each on 127.0.0.1, on a port the test gets from
 * the system, with data in a fresh temporary directory that is removed
 * afterwards. Use them with `await using` so cleanup always runs.
 *
 * Tests that need redis-server call {@link requireRedis}: without it they
 * are skipped locally but fail when `CI=true`.
 *
 * @module
 */

import { startServer, type StartServerOptions } from "../../server/server.ts";
import type { CairnServer } from "../../server/server.ts";
import { MemorySink } from "../../core/log.ts";
import { plain, RespClient } from "./resp_client.ts";

/**
 * A port that was free a moment ago. Only {@link spawnOnFreePort} uses it,
 * because another test can take the port before the server binds it.
 */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A Cairn server started in-process for a test. */
export interface TestServer extends AsyncDisposable {
  /** The running server. */
  readonly server: CairnServer;
  /** Its port. */
  readonly port: number;
  /** Its data directory (fresh, removed at dispose). */
  readonly dir: string;
  /** Its log lines. */
  readonly log: MemorySink;
  /** Opens a client connection (closed at dispose). */
  client(): Promise<RespClient>;
}

/**
 * Starts Cairn in-process on a free port with `dir` set to a new temporary
 * directory. `config` holds TOML-style values by redis.conf name.
 */
export async function startTestServer(
  config: Record<string, unknown> = {},
  options: Omit<StartServerOptions, "config" | "port" | "logSink"> & { dir?: string } = {},
): Promise<TestServer> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "cairn-test-" });
  const log = new MemorySink();
  const server = await startServer({
    ...options,
    config: { dir, save: "", ...config },
    port: 0,
    logSink: log,
  });
  const clients: RespClient[] = [];
  return {
    server,
    port: server.port,
    dir,
    log,
    async client() {
      const c = await RespClient.connect(server.port);
      clients.push(c);
      return c;
    },
    async [Symbol.asyncDispose]() {
      for (const c of clients) c.close();
      await server.close();
      if (ownDir) await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Starts Cairn in-process on a port the system picks, for a test that talks
 * to it while it is still loading: `port` resolves once it listens (or
 * rejects when the start fails first), `started` once it has loaded.
 */
export function startLoadingServer(
  options: Omit<StartServerOptions, "port" | "onListening">,
): { port: Promise<number>; started: Promise<CairnServer> } {
  let listening!: (port: number) => void;
  const listened = new Promise<number>((resolve) => listening = resolve);
  const started = startServer({ ...options, port: 0, onListening: listening });
  const failed = started.then(() => new Promise<never>(() => {}));
  return { port: Promise.race([listened, failed]), started };
}

/** Paths of the redis binaries, or null when they are not installed. */
export function redisBinary(
  name: "redis-server" | "redis-cli" | "redis-check-rdb" | "redis-check-aof" | "redis-benchmark",
): string | null {
  for (const dir of ["/usr/bin", "/usr/local/bin"]) {
    try {
      Deno.statSync(`${dir}/${name}`);
      return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * True when redis-server is available. When it is not: returns false
 * locally (the test should return early), throws when `CI=true`.
 */
export function requireRedis(): boolean {
  if (redisBinary("redis-server") !== null) return true;
  if (Deno.env.get("CI") === "true") {
    throw new Error("redis-server is required in CI but is not installed");
  }
  console.warn("redis-server not installed: skipping");
  return false;
}

/** A redis-server started for a test. */
export interface RedisProcess extends AsyncDisposable {
  /** Its port. */
  readonly port: number;
  /** Its data directory. */
  readonly dir: string;
  /** Opens a client connection (closed at dispose). */
  client(): Promise<RespClient>;
  /** Stops it (SIGTERM, then waits); dispose does this too. */
  stop(): Promise<void>;
}

/**
 * Starts redis-server on a free port with `dir` as a fresh temporary
 * directory (or `options.dir`). Extra directives are passed on the command
 * line (`{ appendonly: "yes" }`). Resolves once it has loaded its data,
 * or with `whileLoading` as soon as it listens.
 */
export async function startRedis(
  directives: Record<string, string> = {},
  options: { dir?: string; whileLoading?: boolean } = {},
): Promise<RedisProcess> {
  const bin = redisBinary("redis-server");
  if (bin === null) throw new Error("redis-server is not installed");
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "redis-ref-" });
  // A restart in the same directory appends to the same log.
  const logPath = `${dir}/redis.log`;
  let logFrom = 0;
  const { child, port } = await spawnOnFreePort(
    async (port) => {
      logFrom = await Deno.readTextFile(logPath).then((t) => t.length, () => 0);
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
      for (const [k, v] of Object.entries({ "enable-debug-command": "yes", ...directives })) {
        args.push(`--${k}`, v);
      }
      args.push("--logfile", logPath, "--daemonize", "no");
      return new Deno.Command(bin, { args, stdout: "null", stderr: "null" }).spawn();
    },
    (child, port) => loggedListening(child, port, { path: logPath, from: logFrom }, 10_000),
  );
  if (!options.whileLoading) await waitForLoaded(port, 10_000);
  const clients: RespClient[] = [];
  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    for (const c of clients) c.close();
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
  }
  return {
    port,
    dir,
    async client() {
      const c = await RespClient.connect(port);
      clients.push(c);
      return c;
    },
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
      if (ownDir) await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * True once redis-server `child` listens on `port`, false if it exited (it
 * could not bind the port). Its own log says it bound the port ("Server
 * initialized" comes after the listening socket): INFO, as
 * {@link spawnOnFreePort} asks by default, would wait for Redis to process
 * events, which it does rarely while loading.
 */
async function loggedListening(
  child: Deno.ChildProcess,
  port: number,
  log: { path: string; from: number },
  timeoutMs: number,
) {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + timeoutMs;
  while (!exited) {
    const text = await Deno.readTextFile(log.path).catch(() => "");
    if (text.indexOf("Server initialized", log.from) >= 0) {
      await waitForPort(port, Math.max(0, deadline - Date.now()));
      return true;
    }
    if (Date.now() > deadline) throw new Error(`redis-server never listened on port ${port}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/**
 * Resolves once the redis-server on `port` has loaded its data. It listens
 * before it loads, and while loading it still answers commands flagged
 * `loading` (DEBUG DIGEST among them) between chunks of the file, with the
 * part loaded so far: PING is refused with -LOADING until the end.
 */
async function waitForLoaded(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const client = await RespClient.connect(port);
  try {
    while (true) {
      const reply = await client.send("PING");
      if (reply.type !== "error" || !reply.value.startsWith("LOADING")) return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} is still loading`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    client.close();
  }
}

/**
 * Starts a server process (Cairn or Redis) on a port that was free a moment
 * ago; when the process exits before it listens (another test took the port
 * first), starts it again on another port. Resolves once `listening` says
 * the process itself listens, by default once the port answers INFO with the
 * process's own id: a connection alone could reach another test's server.
 */
export async function spawnOnFreePort(
  spawnAt: (port: number) => Deno.ChildProcess | Promise<Deno.ChildProcess>,
  listening: (child: Deno.ChildProcess, port: number) => Promise<boolean> = answersAs,
): Promise<{ child: Deno.ChildProcess; port: number }> {
  for (let attempt = 1;; attempt++) {
    const port = freePort();
    const child = await spawnAt(port);
    if (await listening(child, port)) return { child, port };
    if (attempt === 5) throw new Error(`the server exited before listening, ${attempt} times`);
  }
}

/** True once the server on `port` is `child` (INFO's process_id); false if the child exited. */
async function answersAs(child: Deno.ChildProcess, port: number, timeoutMs = 30_000) {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + timeoutMs;
  while (!exited) {
    try {
      const c = await RespClient.connect(port);
      try {
        const info = String(plain(await c.send("INFO", "server")));
        if (info.includes(`process_id:${child.pid}\r\n`)) return true;
      } finally {
        c.close();
      }
    } catch {
      // not listening yet, or it closed the connection
    }
    if (Date.now() > deadline) throw new Error(`nothing answered as pid ${child.pid} on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/**
 * Resolves once something accepts connections on `port`: any process, so
 * only for a port known to be the server's (see {@link spawnOnFreePort}).
 */
async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`Nothing listens on port ${port}: ${e}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
