import { equal, match, ok } from "node:assert/strict";
import { freePort } from "../_helpers/servers.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A `cairn` process whose output is collected as it comes. */
class CairnProcess {
  readonly child: Deno.ChildProcess;
  stdout = "";
  stderr = "";
  readonly #done: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(args: string[], options: { stdin?: string; cwd?: string } = {}) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, ...args],
      cwd: options.cwd,
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = this.child.stdin.getWriter();
      void writer.write(new TextEncoder().encode(options.stdin)).then(() => writer.close());
    }
    this.#done = Promise.all([
      this.#collect(this.child.stdout, (t) => (this.stdout += t)),
      this.#collect(this.child.stderr, (t) => (this.stderr += t)),
    ]).then(() => {});
  }

  async #collect(stream: ReadableStream<Uint8Array>, add: (text: string) => void) {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      add(decoder.decode(chunk, { stream: true }));
      for (const wake of this.#waiters.splice(0)) wake();
    }
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves once stdout contains `text`; throws if the process ends first. */
  async waitFor(text: string): Promise<void> {
    let ended = false;
    void this.#done.then(() => (ended = true));
    while (!this.stdout.includes(text)) {
      if (ended) throw new Error(`process ended without "${text}":\n${this.stdout}${this.stderr}`);
      await Promise.race([new Promise<void>((r) => this.#waiters.push(r)), this.#done]);
    }
  }

  /** Sends SIGTERM unless the process has ended already. */
  stop(): void {
    try {
      this.child.kill("SIGTERM");
    } catch {
      // already gone: the assertions on its output say why
    }
  }

  /** Waits for the end; returns the exit code. */
  async exit(): Promise<number> {
    const status = await this.child.status;
    await this.#done;
    return status.code;
  }
}

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("cairn-cli-", fn);

Deno.test("cairn <file> --port N serves, rewrites its config and stops on SIGTERM", async () => {
  await withDir(async (dir) => {
    const port = freePort();
    const file = `${dir}/cairn.toml`;
    await Deno.writeTextFile(
      file,
      `# test server\nport = 1\ndir = "${dir}"\nsave = ""\ntls-port = 6380\nhz = 20\n`,
    );
    const cairn = new CairnProcess([file, "--port", String(port), "--loglevel", "verbose"]);
    try {
      await cairn.waitFor("Ready to accept connections");
      const c = await RespClient.connect(port);
      equal(await c.call("PING"), "PONG");
      equal(await c.call("SET", "k", "v"), "OK");
      equal(await c.call("GET", "k"), "v");
      equal(await c.call("CONFIG", "GET", "port").then(String), `port,${port}`);
      equal(await c.call("CONFIG", "GET", "tls-port").then(String), "tls-port,6380");
      equal(await c.call("CONFIG", "GET", "loglevel").then(String), "loglevel,verbose");
      equal(await c.call("CONFIG", "SET", "hz", "50"), "OK");
      equal(await c.call("CONFIG", "REWRITE"), "OK");
      c.close();
      const rewritten = await Deno.readTextFile(file);
      ok(rewritten.startsWith(`# test server\nport = ${port}\n`), rewritten);
      match(rewritten, /^hz = 50$/m);
      match(rewritten, /^loglevel = "verbose"$/m);
    } finally {
      cairn.stop();
    }
    equal(await cairn.exit(), 0);
    equal(cairn.stdout.split("\n").filter((l) => l.includes('"tls-port"')).length, 1);
    match(cairn.stdout, /Received SIGTERM scheduling shutdown/);
    match(cairn.stdout, /ready to exit, bye bye/);
  });
});

Deno.test("a redis.conf from stdin, with redis-server's command line forms", async () => {
  await withDir(async (dir) => {
    const port = freePort();
    const cairn = new CairnProcess(["--port", String(port), "--save", "3600 1", "-"], {
      stdin: `dir ${dir}\nsave 60 5\nappendonly yes\nappendfsync always\nrequirepass "s3cret"\n`,
    });
    try {
      await cairn.waitFor("Ready to accept connections");
      const c = await RespClient.connect(port);
      equal(await c.call("AUTH", "s3cret"), "OK");
      equal(await c.call("CONFIG", "GET", "save").then(String), "save,60 5 3600 1");
      equal(await c.call("CONFIG", "GET", "appendfsync").then(String), "appendfsync,always");
      c.close();
    } finally {
      cairn.stop();
    }
    equal(await cairn.exit(), 0);
  });
});

Deno.test("a taken port makes cairn exit non-zero with Redis's line", async () => {
  await withDir(async (dir) => {
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (taken.addr as Deno.NetAddr).port;
    try {
      const cairn = new CairnProcess(["--port", String(port), "--dir", dir, "--save", ""]);
      equal(await cairn.exit(), 1);
      match(cairn.stdout, new RegExp(`Failed listening on port ${port} \\(TCP\\), aborting\\.`));
      match(cairn.stderr, /Cairn could not start: Failed listening on port/);
    } finally {
      taken.close();
    }
  });
});

Deno.test("a bad config exits 1 with the place, the value and what is expected", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/redis.conf`, "# comment\nport 7000\nappendfsinc always\n");
    const bad = new CairnProcess([`${dir}/redis.conf`]);
    equal(await bad.exit(), 1);
    match(bad.stderr, /FATAL CONFIG FILE ERROR/);
    match(bad.stderr, />>> 'appendfsinc always'/);
    match(
      bad.stderr,
      new RegExp(
        `${dir}/redis.conf:3: unknown directive "appendfsinc".*did you mean "appendfsync"`,
      ),
    );
    const badValue = new CairnProcess(["--maxmemory", "lots"]);
    equal(await badValue.exit(), 1);
    match(
      badValue.stderr,
      /command line: invalid value "lots" for "maxmemory": argument must be a memory value/,
    );
  });
});

Deno.test("convert-conf, --version and --help", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/redis.conf`,
      "# mine\nport 7000\nsave 900 1\nsave 60 5\nmaxmemory 1gb\n",
    );
    const convert = new CairnProcess(["convert-conf", `${dir}/redis.conf`]);
    equal(await convert.exit(), 0);
    equal(
      convert.stdout,
      '# mine\nport = 7000\nsave = ["900 1", "60 5"]\nmaxmemory = "1gb"\n',
    );
    match(convert.stderr, /"maxmemory" is accepted but has no effect/);
    const version = new CairnProcess(["--version"]);
    equal(await version.exit(), 0);
    match(version.stdout, /^Cairn server v=\S+ redis_version=7\.0\.15 /);
    const help = new CairnProcess(["--help"]);
    equal(await help.exit(), 0);
    match(help.stderr, /cairn convert-conf/);
  });
});
