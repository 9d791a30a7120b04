import { equal, match, ok } from "node:assert/strict";
import { CairnProcess } from "../_helpers/cairn_process.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("cairn-cli-", fn);

Deno.test("cairn <file> --port N serves, rewrites its config and stops on SIGTERM", async () => {
  await withDir(async (dir) => {
    const file = `${dir}/cairn.toml`;
    await Deno.writeTextFile(
      file,
      `# test server\nport = 1\ndir = "${dir}"\nsave = ""\ntls-port = 6380\nhz = 20\n`,
    );
    // Port 0 overrides the file's port 1: the system picks a free one.
    const cairn = new CairnProcess([file, "--port", "0", "--loglevel", "verbose"]);
    try {
      await cairn.waitFor("Ready to accept connections");
      const c = await RespClient.connect(cairn.port);
      equal(await c.call("PING"), "PONG");
      equal(await c.call("SET", "k", "v"), "OK");
      equal(await c.call("GET", "k"), "v");
      equal(await c.call("CONFIG", "GET", "port").then(String), "port,0");
      equal(await c.call("CONFIG", "GET", "tls-port").then(String), "tls-port,6380");
      equal(await c.call("CONFIG", "GET", "loglevel").then(String), "loglevel,verbose");
      equal(await c.call("CONFIG", "SET", "hz", "50"), "OK");
      equal(await c.call("CONFIG", "REWRITE"), "OK");
      c.close();
      const rewritten = await Deno.readTextFile(file);
      ok(rewritten.startsWith(`# test server\nport = 0\n`), rewritten);
      match(rewritten, /^hz = 50$/m);
      match(rewritten, /^loglevel = "verbose"$/m);
    } finally {
      cairn.kill("SIGTERM");
    }
    equal(await cairn.exitCode(), 0);
    equal(cairn.stdout.split("\n").filter((l) => l.includes('"tls-port"')).length, 1);
    match(cairn.stdout, /Received SIGTERM scheduling shutdown/);
    match(cairn.stdout, /ready to exit, bye bye/);
  });
});

Deno.test("a redis.conf from stdin, with redis-server's command line forms", async () => {
  await withDir(async (dir) => {
    const cairn = new CairnProcess(["--port", "0", "--save", "3600 1", "-"], {
      stdin: `dir ${dir}\nsave 60 5\nappendonly yes\nappendfsync always\nrequirepass "s3cret"\n`,
    });
    try {
      await cairn.waitFor("Ready to accept connections");
      const c = await RespClient.connect(cairn.port);
      equal(await c.call("AUTH", "s3cret"), "OK");
      equal(await c.call("CONFIG", "GET", "save").then(String), "save,60 5 3600 1");
      equal(await c.call("CONFIG", "GET", "appendfsync").then(String), "appendfsync,always");
      c.close();
    } finally {
      cairn.kill("SIGTERM");
    }
    equal(await cairn.exitCode(), 0);
  });
});

Deno.test("a taken port makes cairn exit non-zero with Redis's line", async () => {
  await withDir(async (dir) => {
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (taken.addr as Deno.NetAddr).port;
    try {
      const cairn = new CairnProcess(["--port", String(port), "--dir", dir, "--save", ""]);
      equal(await cairn.exitCode(), 1);
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
    equal(await bad.exitCode(), 1);
    match(bad.stderr, /FATAL CONFIG FILE ERROR/);
    match(bad.stderr, />>> 'appendfsinc always'/);
    match(
      bad.stderr,
      new RegExp(
        `${dir}/redis.conf:3: unknown directive "appendfsinc".*did you mean "appendfsync"`,
      ),
    );
    const badValue = new CairnProcess(["--maxmemory", "lots"]);
    equal(await badValue.exitCode(), 1);
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
    equal(await convert.exitCode(), 0);
    equal(
      convert.stdout,
      '# mine\nport = 7000\nsave = ["900 1", "60 5"]\nmaxmemory = "1gb"\n',
    );
    match(convert.stderr, /"maxmemory" is accepted but has no effect/);
    const version = new CairnProcess(["--version"]);
    equal(await version.exitCode(), 0);
    match(version.stdout, /^Cairn server v=\S+ redis_version=7\.0\.15 /);
    const help = new CairnProcess(["--help"]);
    equal(await help.exitCode(), 0);
    match(help.stderr, /cairn convert-conf/);
  });
});
