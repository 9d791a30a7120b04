import { equal } from "node:assert/strict";
import { ReplyWriter } from "./reply_writer.ts";

const decoder = new TextDecoder("latin1");

function written(write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter(8);
  write(w);
  return decoder.decode(w.take());
}

Deno.test("integer replies: digits, signs, and values beyond 2^53 as bigint", () => {
  const cases: [number | bigint, string][] = [
    [0, ":0\r\n"],
    [-0, ":0\r\n"],
    [7, ":7\r\n"],
    [-7, ":-7\r\n"],
    [10, ":10\r\n"],
    [-1234567, ":-1234567\r\n"],
    [Number.MAX_SAFE_INTEGER, ":9007199254740991\r\n"],
    [Number.MIN_SAFE_INTEGER, ":-9007199254740991\r\n"],
    [9223372036854775807n, ":9223372036854775807\r\n"],
    [-9223372036854775808n, ":-9223372036854775808\r\n"],
  ];
  for (const [n, wire] of cases) equal(written((w) => w.integer(n)), wire, String(n));
});

Deno.test("integer replies grow a full buffer and follow earlier replies", () => {
  const text = written((w) => {
    for (let i = -50; i <= 50; i++) w.integer(i * 1001);
    w.ok();
  });
  let expected = "";
  for (let i = -50; i <= 50; i++) expected += `:${i * 1001}\r\n`;
  equal(text, expected + "+OK\r\n");
});
