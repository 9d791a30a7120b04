/**
 * Helpers of the multi-part AOF, recovery, composition and interop tests:
 * a dataset of every type written through commands, the files of an AOF
 * directory, the end of a rewrite as an event, Cairn and redis-server as
 * subprocesses on a given directory.
 *
 * @module
 */

import { deepEqual } from "node:assert/strict";
import type { CairnServer } from "../../server/server.ts";
import type { AofEvents, AofRewriteOutcome } from "../../persistence/aof/events.ts";
import type { RespClient } from "../_helpers/resp_client.ts";
import { redisBinary, spawnOnFreePort } from "../_helpers/servers.ts";
import { RespClient as Client } from "../_helpers/resp_client.ts";

/** The config of Cairn with the multi-part AOF on and DEBUG allowed. */
export function multipartAof(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { appendonly: true, "enable-debug-command": "yes", ...extra };
}

/** A temporary directory for one test. */
export async function tempDir(prefix = "cairn-mp-"): Promise<string> {
  return await Deno.makeTempDir({ prefix });
}

/** Resolves with the outcome of the next rewrite of `server` to end (any AOF layout). */
export function nextRewrite(server: CairnServer): Promise<AofRewriteOutcome> {
  const { promise, resolve } = Promise.withResolvers<AofRewriteOutcome>();
  const stop = server.core.bus.typed<AofEvents>().on("aof.rewrite.done", ({ outcome }) => {
    stop();
    resolve(outcome);
  });
  return promise;
}

/** Names of the files in `dir`, sorted (empty when it does not exist). */
export function listDir(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** The manifest of the AOF directory `dir/appendonlydir`, as text. */
export function manifestOf(dir: string): string {
  return Deno.readTextFileSync(`${dir}/appendonlydir/appendonly.aof.manifest`);
}

/** The bytes of a file as a byte string (for `includes` checks on RESP records). */
export function fileText(path: string): string {
  const bytes = Deno.readFileSync(path);
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

/** RESP text of one command (written out independently of Cairn's encoder). */
export function resp(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

/** A TTL far in the future, absolute, so restarts and other servers see the same value. */
const FAR_FUTURE_MS = 4_102_444_800_000; // 2100-01-01

/**
 * Writes a dataset holding every type in two databases: strings (short,
 * integer-like, long, binary), lists, hashes, sets (integers and strings),
 * sorted sets (small and large), keys with TTLs, and a transaction.
 * `tag` makes the values of two calls differ.
 */
export async function writeEveryType(c: RespClient, tag = "a"): Promise<void> {
  const big = (n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}`);
  const commands: (string | number)[][] = [
    ["SELECT", 0],
    ["SET", `str:${tag}`, `value-${tag}`],
    ["SET", `int:${tag}`, 12345],
    ["SET", `long:${tag}`, "x".repeat(5000) + tag],
    ["SET", `bin:${tag}\x00\xff`, "\x00\x01\x02\xfe\xff"],
    ["RPUSH", `list:${tag}`, ...big(10)],
    ["RPUSH", `biglist:${tag}`, ...big(300)],
    ["HSET", `hash:${tag}`, "f1", "v1", "f2", "v2"],
    ["HSET", `bighash:${tag}`, ...big(600).flatMap((f) => [f, `v-${f}`])],
    ["SADD", `intset:${tag}`, 1, 2, 3, 100000],
    ["SADD", `set:${tag}`, ...big(20)],
    ["ZADD", `zset:${tag}`, 1, "one", 2.5, "two", -3, "three"],
    ["ZADD", `bigzset:${tag}`, ...big(200).flatMap((m, i) => [i / 3, m])],
    ["SET", `ttl:${tag}`, "expiring", "PXAT", FAR_FUTURE_MS],
    ["RPUSH", `ttl-list:${tag}`, "a", "b"],
    ["PEXPIREAT", `ttl-list:${tag}`, FAR_FUTURE_MS + 1],
    ["INCRBYFLOAT", `float:${tag}`, "1.5"],
    ["MULTI"],
    ["INCR", `counter:${tag}`],
    ["LPUSH", `list:${tag}`, "head"],
    ["EXEC"],
    ["SELECT", 3],
    ["SET", `db3:${tag}`, "in db 3"],
    ["ZADD", `db3z:${tag}`, 7, "seven"],
    ["SELECT", 0],
  ];
  const replies = await c.pipeline(commands);
  const errors = replies.filter((r) => r.type === "error");
  deepEqual(errors, [], "every write of the dataset succeeds");
}

/** DEBUG DIGEST of a server. */
export async function digest(c: RespClient): Promise<string> {
  return await c.call("DEBUG", "DIGEST") as string;
}

const ROOT = new URL("../../", import.meta.url).pathname;

/** A server process (Cairn or redis-server) on a directory that outlives it. */
export interface ServerProcess extends AsyncDisposable {
  /** Its port. */
  readonly port: number;
  /** Its process. */
  readonly child: Deno.ChildProcess;
  /** A client (closed at dispose). */
  client(): Promise<RespClient>;
  /** SIGKILL, then waits. */
  kill(): Promise<void>;
  /** SHUTDOWN (or SIGTERM when that fails), then waits. */
  stop(): Promise<void>;
}

/** Starts Cairn (`deno run main.ts`) on `dir` with redis.conf-style directives. */
export async function spawnCairn(
  dir: string,
  directives: Record<string, string>,
  script = `${ROOT}main.ts`,
): Promise<ServerProcess> {
  const { child, port } = await spawnOnFreePort((port) => {
    const args = ["run", "-A", script, "--port", String(port), "--dir", dir, "--save", ""];
    for (const [k, v] of Object.entries(directives)) args.push(`--${k}`, v);
    return new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).spawn();
  });
  return await wrapProcess(child, port);
}

/** Starts redis-server on `dir` (which it keeps) with directives. */
export async function spawnRedis(
  dir: string,
  directives: Record<string, string>,
): Promise<ServerProcess> {
  const bin = redisBinary("redis-server");
  if (bin === null) throw new Error("redis-server is not installed");
  const { child, port } = await spawnOnFreePort((port) => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
    for (const [k, v] of Object.entries({ "enable-debug-command": "yes", ...directives })) {
      args.push(`--${k}`, v);
    }
    args.push("--logfile", `${dir}/redis.log`, "--daemonize", "no");
    return new Deno.Command(bin, { args, stdout: "null", stderr: "null" }).spawn();
  });
  return await wrapProcess(child, port);
}

/** Wraps a child that answers on `port` (from {@link spawnOnFreePort}). */
async function wrapProcess(child: Deno.ChildProcess, port: number): Promise<ServerProcess> {
  const exited = child.status;
  await waitLoaded(port);
  const clients: RespClient[] = [];
  let done = false;
  const finish = async (how: () => Promise<void>) => {
    if (done) return;
    done = true;
    for (const c of clients) c.close();
    await how();
    await exited;
  };
  const kill = () =>
    finish(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      return Promise.resolve();
    });
  return {
    port,
    child,
    async client() {
      const c = await Client.connect(port);
      clients.push(c);
      return c;
    },
    kill,
    stop: () =>
      finish(async () => {
        try {
          const c = await Client.connect(port);
          await c.send("SHUTDOWN").catch(() => {});
          c.close();
        } catch {
          child.kill("SIGTERM");
        }
      }),
    [Symbol.asyncDispose]: kill,
  };
}

/**
 * Waits until a server that listens has loaded its data: both accept
 * connections while loading (and DEBUG DIGEST runs then), so poll PING until
 * it stops answering -LOADING. There is no event to await across processes.
 */
async function waitLoaded(port: number): Promise<void> {
  const c = await Client.connect(port);
  try {
    while (true) {
      const reply = await c.send("PING");
      if (reply.type !== "error" || !reply.value.startsWith("LOADING")) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    c.close();
  }
}

/** Runs a command to its end; returns its exit code and output. */
export async function run(
  bin: string,
  args: string[],
  stdin?: string,
): Promise<{ code: number; out: string }> {
  const child = new Deno.Command(bin, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout) + dec.decode(stderr) };
}

/** Copies every regular file of `from` (and of its sub-directories) into `to`. */
export function copyTree(from: string, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) copyTree(`${from}/${e.name}`, `${to}/${e.name}`);
    else if (e.isFile && !e.name.endsWith(".log")) {
      Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
    }
  }
}
