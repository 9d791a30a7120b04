import { equal } from "node:assert/strict";
import { decodeLatin1 } from "../../core/bytes.ts";
import { defaultLimits } from "../../core/values/limits.ts";
import { ListValue } from "../../core/values/list.ts";
import { SetValue } from "../../core/values/set.ts";
import { HashValue } from "../../core/values/hash.ts";
import { ZSetValue } from "../../core/values/zset.ts";
import { RespBaseWriter } from "./rewrite_resp.ts";

function cmd(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

const limits = defaultLimits();
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

Deno.test("strings, TTLs and the SELECT of each database", () => {
  const w = new RespBaseWriter({ timestampSeconds: 1700000000 });
  let out = decodeLatin1(w.begin());
  w.beginDb(3);
  w.writeKey("k", "v", -1);
  w.writeKey("t", "\x00\xff", 1_800_000_000_123);
  out += decodeLatin1(w.drain()) + decodeLatin1(w.end());
  equal(
    out,
    "#TS:1700000000\r\n" + cmd("SELECT", "3") + cmd("SET", "k", "v") + cmd("SET", "t", "\x00\xff") +
      cmd("PEXPIREAT", "t", "1800000000123"),
  );
});

Deno.test("collections are written in batches of 64 items", () => {
  const w = new RespBaseWriter();
  const items = range(130, (i) => `e${i}`);
  w.writeKey("l", ListValue.fromItems(items, limits), -1);
  equal(
    decodeLatin1(w.drain()),
    cmd("RPUSH", "l", ...items.slice(0, 64)) + cmd("RPUSH", "l", ...items.slice(64, 128)) +
      cmd("RPUSH", "l", ...items.slice(128)),
  );
  const fields = range(65, (i) => `f${i}`);
  const hash = HashValue.fromEntries(fields.map((f) => [f, `v-${f}`]), limits);
  w.writeKey("h", hash, -1);
  const pairs = [...hash.entries()].flat();
  equal(
    decodeLatin1(w.drain()),
    cmd("HMSET", "h", ...pairs.slice(0, 128)) + cmd("HMSET", "h", ...pairs.slice(128)),
  );
  const set = SetValue.fromMembers(["a", "b", "c"], limits);
  w.writeKey("s", set, -1);
  equal(decodeLatin1(w.drain()), cmd("SADD", "s", ...set));
});

Deno.test("sorted set scores are printed with %.17g", () => {
  const w = new RespBaseWriter();
  const z = ZSetValue.fromEntries([["x", 1.5], ["y", 0.1], ["z", -Infinity], ["w", 1e21]], limits);
  w.writeKey("z", z, -1);
  equal(
    decodeLatin1(w.drain()),
    cmd("ZADD", "z", "-inf", "z", "0.10000000000000001", "y", "1.5", "x", "1e+21", "w"),
  );
});

Deno.test("a captured key is written when its database's section opens", () => {
  const w = new RespBaseWriter();
  const captured = w.capture("early", "old", 42);
  w.beginDb(0);
  w.emitCaptured(captured);
  equal(
    decodeLatin1(w.drain()),
    cmd("SELECT", "0") + cmd("SET", "early", "old") + cmd("PEXPIREAT", "early", "42"),
  );
});
