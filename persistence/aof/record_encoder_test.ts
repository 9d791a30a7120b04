import { deepEqual, equal } from "node:assert/strict";
import { decodeLatin1 } from "../../core/bytes.ts";
import type { PropagatedOp } from "../../core/events.ts";
import { AofBuffer } from "./aof_buffer.ts";
import { AofRecordEncoder, encodeAofCommand } from "./record_encoder.ts";

/** RESP text of commands, written out independently of the encoder. */
function resp(...commands: string[][]): string {
  return commands.map((argv) =>
    `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("")
  ).join("");
}

function encode(
  encoder: AofRecordEncoder,
  ops: PropagatedOp[],
  options: { atomic?: boolean; time?: number } = {},
): string {
  const out = new AofBuffer(16);
  encoder.appendUnit(out, { seq: 1, ops, time: options.time ?? 0, atomic: options.atomic ?? true });
  return decodeLatin1(out.take());
}

Deno.test("the first record selects its database; later ones only when it changes", () => {
  const enc = new AofRecordEncoder();
  equal(
    encode(enc, [{ db: 0, argv: ["set", "a", "1"] }]),
    resp(["SELECT", "0"], ["set", "a", "1"]),
  );
  equal(encode(enc, [{ db: 0, argv: ["del", "a"] }]), resp(["del", "a"]));
  equal(encode(enc, [{ db: 9, argv: ["del", "b"] }]), resp(["SELECT", "9"], ["del", "b"]));
  enc.resetSelectedDb();
  equal(encode(enc, [{ db: 9, argv: ["del", "c"] }]), resp(["SELECT", "9"], ["del", "c"]));
});

Deno.test("an atomic unit of several ops is wrapped, SELECT before MULTI as in 7.0", () => {
  const enc = new AofRecordEncoder();
  encode(enc, [{ db: 0, argv: ["set", "x", "1"] }]);
  const text = encode(enc, [
    { db: 2, argv: ["DEL", "k"] },
    { db: 2, argv: ["set", "k", "v"] },
    { db: 3, argv: ["incr", "n"] },
  ]);
  equal(
    text,
    resp(
      ["SELECT", "2"],
      ["MULTI"],
      ["DEL", "k"],
      ["set", "k", "v"],
      ["SELECT", "3"],
      ["incr", "n"],
      ["EXEC"],
    ),
  );
  equal(enc.selectedDb, 3);
});

Deno.test("a single-op unit is never wrapped; a non-atomic unit is written bare", () => {
  const enc = new AofRecordEncoder();
  equal(encode(enc, [{ db: 0, argv: ["incr", "n"] }]), resp(["SELECT", "0"], ["incr", "n"]));
  const bare = encode(enc, [
    { db: 0, argv: ["DEL", "a"] },
    { db: 0, argv: ["DEL", "b"] },
  ], { atomic: false });
  equal(bare, resp(["DEL", "a"], ["DEL", "b"]));
});

Deno.test("#TS: annotations precede the first record of each new second", () => {
  const enc = new AofRecordEncoder({ timestamps: true });
  const first = encode(enc, [{ db: 0, argv: ["incr", "n"] }], { time: 1_700_000_000_123 });
  equal(first, "#TS:1700000000\r\n" + resp(["SELECT", "0"], ["incr", "n"]));
  equal(
    encode(enc, [{ db: 0, argv: ["incr", "n"] }], { time: 1_700_000_000_999 }),
    resp(["incr", "n"]),
  );
  equal(
    encode(enc, [{ db: 0, argv: ["incr", "n"] }], { time: 1_700_000_001_000 }),
    "#TS:1700000001\r\n" + resp(["incr", "n"]),
  );
});

Deno.test("binary arguments and lengths with several digits are written exactly", () => {
  const big = "\x00\xff\r\n".repeat(300);
  const bytes = encodeAofCommand(["SET", big, ""]);
  equal(decodeLatin1(bytes), `*3\r\n$3\r\nSET\r\n$1200\r\n${big}\r\n$0\r\n\r\n`);
  deepEqual(bytes.subarray(0, 4), new Uint8Array([42, 51, 13, 10]));
});

Deno.test("the buffer grows across many records and consumes a written prefix", () => {
  const buf = new AofBuffer(8);
  for (let i = 0; i < 1000; i++) buf.appendCommand(["incr", `k${i}`]);
  const expected = Array.from({ length: 1000 }, (_, i) => resp(["incr", `k${i}`])).join("");
  equal(decodeLatin1(buf.view()), expected);
  const first = resp(["incr", "k0"]).length;
  buf.consume(first);
  equal(decodeLatin1(buf.view()), expected.slice(first));
});
