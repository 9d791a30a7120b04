import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { ConfigError } from "../core/config/config.ts";
import { intKey } from "../core/config/spec.ts";
import { loadConfig } from "./config_file.ts";
import { withTempDir } from "../tests/_helpers/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("cairn-config-file-", fn);

Deno.test("a redis.conf is read whatever its name; includes are read in place", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.conf`, "save 900 1\nappendonly yes\nport 7000\n");
    await Deno.mkdir(`${dir}/conf.d`);
    await Deno.writeTextFile(`${dir}/conf.d/b.conf`, "save 60 5\n");
    await Deno.writeTextFile(`${dir}/conf.d/a.conf`, "save 300 10\n");
    await Deno.writeTextFile(`${dir}/conf.d/ignored.txt`, "port 1\n");
    await Deno.writeTextFile(
      `${dir}/cairn.toml`, // redis.conf content despite the name
      [
        `dir ${dir}`,
        `include ${dir}/base.conf`,
        `include ${dir}/conf.d/*.conf`,
        `include ${dir}/nothing/*.conf`,
        "port 7001",
      ].join("\n"),
    );
    const config = await loadConfig({ file: `${dir}/cairn.toml` });
    equal(config.getText("save"), "900 1 300 10 60 5");
    equal(config.get("appendonly"), true);
    equal(config.get("port"), 7001);
    equal(config.fileFormat, "redis.conf");
    equal(config.file, await Deno.realPath(`${dir}/cairn.toml`));
  });
});

Deno.test("a TOML file, then stdin, then the command line: the later wins", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/server.conf`,
      `dir = "${dir}"\nport = 7000\nloglevel = "warning"\nsave = ["900 1"]\nappendonly = true\n`,
    );
    await Deno.writeTextFile(`${dir}/more.conf`, "maxclients 77\n");
    const config = await loadConfig({
      file: `${dir}/server.conf`,
      stdin: "port 7001\nhz 20\n",
      args: ["--hz", "30", "--save", "60 5", "--appendonly", "no", "--include", `${dir}/more.conf`],
    });
    equal(config.fileFormat, "toml");
    equal(config.get("port"), 7001);
    equal(config.get("hz"), 30);
    equal(config.get("loglevel"), "warning");
    equal(config.getText("save"), "900 1 60 5"); // save lines add up, as in redis-server
    equal(config.get("appendonly"), false);
    equal(config.source("appendonly"), "command-line");
    equal(config.get("maxclients"), 77);
    const reset = await loadConfig({ file: `${dir}/server.conf`, args: ["--save", ""] });
    equal(reset.getText("save"), "");
  });
});

Deno.test("TOML include takes a file or a list", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/extra.toml`, "maxclients = 50\n");
    await Deno.writeTextFile(`${dir}/legacy.conf`, "timeout 30\n");
    await Deno.writeTextFile(
      `${dir}/main.toml`,
      `dir = "${dir}"\ninclude = ["${dir}/extra.toml", "${dir}/legacy.conf"]\n`,
    );
    const config = await loadConfig({ file: `${dir}/main.toml` });
    equal(config.get("maxclients"), 50);
    equal(config.get("timeout"), 30);
  });
});

Deno.test("errors name the file and line, also inside an included file", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/inc.conf`, "# x\nmaxclients zero\n");
    await Deno.writeTextFile(`${dir}/main.conf`, `port 7000\ninclude ${dir}/inc.conf\n`);
    await rejects(loadConfig({ file: `${dir}/main.conf` }), (err) => {
      ok(err instanceof ConfigError);
      equal(
        err.message,
        `${dir}/inc.conf:2: invalid value "zero" for "maxclients": argument couldn't be parsed ` +
          "into an integer (expected an integer between 1 and 4294967295)",
      );
      equal(err.context, "maxclients zero");
      return true;
    });
  });
});

Deno.test("a missing file, a missing dir, an unopenable logfile and an include loop are errors", async () => {
  await withDir(async (dir) => {
    await rejects(loadConfig({ file: `${dir}/none.conf` }), {
      message: `Fatal error, can't open config file '${dir}/none.conf': No such file or directory`,
    });
    await rejects(loadConfig({ args: ["--dir", `${dir}/missing`] }), {
      message: `command line: invalid value "${dir}/missing" for "dir": No such file or directory`,
    });
    await rejects(loadConfig({ args: ["--dir", dir, "--logfile", `${dir}/no/such/log`] }), {
      message: `command line: invalid value "${dir}/no/such/log" for "logfile": Can't open the ` +
        "log file: No such file or directory",
    });
    await Deno.writeTextFile(`${dir}/loop.conf`, `include ${dir}/loop.conf\n`);
    await rejects(loadConfig({ file: `${dir}/loop.conf` }), /nested more than 16 deep/);
  });
});

Deno.test("plugins named by the config are resolved before their keys are read", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/c.toml`,
      `dir = "${dir}"\nplugins = ["./my-plugin.ts"]\nmy-plugin-level = 3\n`,
    );
    let asked: readonly string[] = [];
    const config = await loadConfig({
      file: `${dir}/c.toml`,
      resolvePlugins: (paths) => {
        asked = paths;
        return Promise.resolve([intKey("my-plugin-level", 1, 0, 9, true)]);
      },
    });
    deepEqual(asked, ["./my-plugin.ts"]);
    equal(config.get("my-plugin-level"), 3);
  });
});
