import { deepEqual, equal } from "node:assert/strict";
import {
  boolKey,
  ConfigValueError,
  enumKey,
  flagsKey,
  formatMemoryUnits,
  INT_MAX,
  intKey,
  LLONG_MAX,
  memtoull,
  stringKey,
  tomlString,
  UINT_MAX,
  ULLONG_MAX,
} from "./spec.ts";

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigValueError) return e.message;
    throw e;
  }
  throw new Error("no error");
}

Deno.test("memtoull reads units like Redis, case-insensitively", () => {
  equal(memtoull("100"), 100n);
  equal(memtoull("1k"), 1000n);
  equal(memtoull("1kb"), 1024n);
  equal(memtoull("64mb"), 64n * 1024n * 1024n);
  equal(memtoull("2M"), 2000000n);
  equal(memtoull("1Gb"), 1073741824n);
  equal(memtoull("3g"), 3000000000n);
  equal(memtoull("7b"), 7n);
  equal(memtoull("064mb"), 64n * 1024n * 1024n); // leading zeros pass strtoull
  equal(memtoull("mb"), 0n); // no digits: strtoull gives 0, as redis-server accepts
  equal(memtoull("99999999999999999999"), ULLONG_MAX); // strtoull saturates
  equal(memtoull("-1"), null);
  equal(memtoull("1.5mb"), null);
  equal(memtoull("1 mb"), null);
  equal(memtoull("12tb"), null);
});

Deno.test("memory values are printed with units by CONFIG REWRITE only when exact", () => {
  equal(formatMemoryUnits(64 * 1024 * 1024), "64mb");
  equal(formatMemoryUnits(1024 ** 3), "1gb");
  equal(formatMemoryUnits(4096), "4kb");
  equal(formatMemoryUnits(1000), "1000");
  equal(formatMemoryUnits(0), "0");
});

Deno.test("integer keys use Redis's parse rules and error texts", () => {
  const port = intKey("port", 6379, 0, 65535, true);
  equal(port.parse("6380"), 6380);
  equal(reason(() => port.parse("abc")), "argument couldn't be parsed into an integer");
  equal(reason(() => port.parse("070")), "argument couldn't be parsed into an integer");
  equal(reason(() => port.parse("+1")), "argument couldn't be parsed into an integer");
  equal(reason(() => port.parse("70000")), "argument must be between 0 and 65535 inclusive");
  equal(port.expected, "an integer between 0 and 65535");
});

Deno.test("memory keys accept units, refuse negatives, and print LONG_MAX exactly", () => {
  const bulk = intKey("proto-max-bulk-len", 512 * 1024 * 1024, 1024 * 1024, LLONG_MAX, true, {
    memory: true,
  });
  equal(bulk.parse("1gb"), 1024 ** 3);
  equal(reason(() => bulk.parse("-1")), "argument must be a memory value");
  equal(reason(() => bulk.parse("1.5mb")), "argument must be a memory value");
  equal(
    reason(() => bulk.parse("1k")),
    "argument must be between 1048576 and 9223372036854775807 inclusive",
  );
  // A caller's Number.MAX_SAFE_INTEGER bound stands for C's LONG_MAX.
  const entries = intKey("hash-max-listpack-entries", 512, 0, Number.MAX_SAFE_INTEGER, true);
  equal(
    reason(() => entries.parse("-1")),
    "argument must be between 0 and 9223372036854775807 inclusive",
  );
  deepEqual(bulk.rewriteArgs!(64 * 1024 * 1024), ["64mb"]);
  equal(bulk.toToml!(64 * 1024 * 1024), '"64mb"');
  equal(bulk.toToml!(1000), "1000");
});

Deno.test("unsigned keys wrap negatives before the bound check, as C does", () => {
  const maxclients = intKey("maxclients", 10000, 1, UINT_MAX, true, { unsigned: true });
  equal(
    reason(() => maxclients.parse("-1")),
    "argument must be between 1 and 4294967295 inclusive",
  );
  const maxmemory = intKey("maxmemory", 0, 0, ULLONG_MAX, true, { memory: true, unsigned: true });
  equal(maxmemory.format(maxmemory.parse("2gb")), "2147483648");
});

Deno.test("percent and octal forms", () => {
  const clients = intKey("maxmemory-clients", 0, -100, LLONG_MAX, true, {
    memory: true,
    percent: true,
  });
  equal(clients.format(clients.parse("10%")), "10%");
  equal(clients.format(clients.parse("1mb")), "1048576");
  equal(reason(() => clients.parse("101%")), "percentage argument must be less or equal to 100");
  equal(reason(() => clients.parse("x")), "argument must be a memory or percent value");
  const perm = intKey("unixsocketperm", 0, 0, 0o777, false, { octal: true, unsigned: true });
  equal(perm.parse("700"), 0o700);
  equal(perm.format(0o755), "755");
  equal(reason(() => perm.parse("999")), "argument couldn't be parsed as an octal number");
  equal(reason(() => perm.parse("1000")), "argument must be between 0 and 777 inclusive");
});

Deno.test("clamped keys accept any value in bounds and bring it within the range", () => {
  const hz = intKey("hz", 10, 0, INT_MAX, true, { clamp: [1, 500] });
  equal(hz.parse("0"), 1);
  equal(hz.parse("100000"), 500);
  equal(hz.parse("50"), 50);
});

Deno.test("bool keys take yes/no in any case and TOML booleans", () => {
  const b = boolKey("appendonly", false, true);
  equal(b.parse("YES"), true);
  equal(b.parse("no"), false);
  equal(b.fromToml!(true), true);
  equal(b.fromToml!("yes"), true);
  equal(reason(() => b.parse("true")), "argument must be 'yes' or 'no'");
  equal(reason(() => b.fromToml!(1)), "argument must be 'yes' or 'no'");
});

Deno.test("enum keys list the accepted words in Redis's order", () => {
  const fsync = enumKey("appendfsync", "everysec", ["everysec", "always", "no"], true);
  equal(fsync.parse("ALWAYS"), "always");
  equal(
    reason(() => fsync.parse("sometimes")),
    "argument(s) must be one of the following: everysec, always, no",
  );
  const oom = enumKey("oom-score-adj", "no", ["no", "yes", "relative", "absolute"], true, {
    synonyms: { relative: "yes" },
  });
  equal(oom.parse("relative"), "yes");
});

Deno.test("flag keys combine words and print them in a fixed order", () => {
  const sig = flagsKey(
    "shutdown-on-sigterm",
    "default",
    ["save", "nosave", "now", "force"],
    true,
    (set) => set.includes("save") && set.includes("nosave") ? "SAVE and NOSAVE" : null,
  );
  equal(sig.format(sig.parse("force now save")), "save now force");
  equal(sig.format(sig.parse("default")), "default");
  equal(reason(() => sig.parse("save nosave")), "SAVE and NOSAVE");
  equal(
    reason(() => sig.parse("later")),
    "argument(s) must be one of the following: default, save, nosave, now, force",
  );
});

Deno.test("string keys run their validator and render as TOML strings", () => {
  const name = stringKey("dbfilename", "dump.rdb", true, {
    validate: (v) => (v.includes("/") ? "dbfilename can't be a path, just a filename" : null),
  });
  equal(name.parse("x.rdb"), "x.rdb");
  equal(reason(() => name.parse("a/b.rdb")), "dbfilename can't be a path, just a filename");
  deepEqual(name.rewriteArgs!('a "b"'), ['"a \\"b\\""']);
  equal(tomlString("caf\xc3\xa9\x7f"), '"café\\u007f"');
  equal(reason(() => tomlString("\xff")), "the value is not UTF-8 text, which TOML cannot hold");
});
