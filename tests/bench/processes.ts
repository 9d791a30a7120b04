/**
 * Server processes for benchmarks: Cairn (as `deno run main.ts`, the way
 * users run it) and redis-server, side by side, each on a free port with its
 * own temporary directory, where it also writes its log.
 *
 * @module
 */

import { redisBinary, spawnOnFreePort } from "../_helpers/servers.ts";

/** A server process under measurement. */
export interface BenchServer extends AsyncDisposable {
  /** "cairn" or "redis". */
  readonly name: "cairn" | "redis";
  /** Its port. */
  readonly port: number;
  /** Its data directory. */
  readonly dir: string;
  /** Its pid (for RSS readings). */
  readonly pid: number;
  /** Resident set size now, in bytes. */
  rss(): number;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

const ROOT = new URL("../../", import.meta.url).pathname;

/** V8 flags Cairn runs with (same as `deno task start`). */
export const CAIRN_V8_FLAGS = "--max-semi-space-size=8";

/** Starts Cairn as a subprocess with redis.conf-style directives. */
export async function startCairnProcess(
  directives: Record<string, string> = {},
): Promise<BenchServer> {
  const dir = await Deno.makeTempDir({ prefix: "cairn-bench-" });
  return await start("cairn", dir, (port) =>
    spawnIn(dir, Deno.execPath(), [
      "run",
      "--allow-all",
      `--v8-flags=${CAIRN_V8_FLAGS}`,
      `${ROOT}main.ts`,
      ...directiveArgs({
        port: String(port),
        dir,
        save: "",
        logfile: `${dir}/${LOG}`,
        ...directives,
      }),
    ]));
}

/** Starts redis-server with the same directives. */
export async function startRedisProcess(
  directives: Record<string, string> = {},
): Promise<BenchServer> {
  const bin = redisBinary("redis-server");
  if (bin === null) throw new Error("redis-server is not installed");
  const dir = await Deno.makeTempDir({ prefix: "redis-bench-" });
  return await start("redis", dir, (port) =>
    spawnIn(
      dir,
      bin,
      directiveArgs({
        port: String(port),
        bind: "127.0.0.1",
        dir,
        save: "",
        daemonize: "no",
        logfile: `${dir}/${LOG}`,
        ...directives,
      }),
    ));
}

/** Runs `bin` in `dir` with its output discarded (servers log to their log file). */
function spawnIn(dir: string, bin: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(bin, { args, stdout: "null", stderr: "null", cwd: dir }).spawn();
}

/** Each server logs to this file in its temporary directory, unless the directives name another. */
const LOG = "server.log";

function directiveArgs(directives: Record<string, string>): string[] {
  return Object.entries(directives).flatMap(([k, v]) => [`--${k}`, v]);
}

async function start(
  name: "cairn" | "redis",
  dir: string,
  spawnAt: (port: number) => Deno.ChildProcess,
): Promise<BenchServer> {
  let started: { child: Deno.ChildProcess; port: number };
  try {
    started = await spawnOnFreePort(spawnAt);
  } catch (e) {
    const log = await Deno.readTextFile(`${dir}/${LOG}`).catch(() => "(no log)");
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw new Error(`${name} did not start: ${e}\n${log}`);
  }
  const { child, port } = started;
  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return {
    name,
    port,
    dir,
    pid: child.pid,
    rss: () => readRss(child.pid),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Resident set size of `pid` in bytes, from /proc. */
export function readRss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}
