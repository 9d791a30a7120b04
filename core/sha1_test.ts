import { equal } from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha1Into } from "./sha1.ts";
import { decodeLatin1 } from "./bytes.ts";
import { seededRandom } from "../tests/_helpers/random.ts";

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

Deno.test("sha1Into equals node:crypto's SHA-1 for bytes and byte strings of any length", () => {
  const rand = seededRandom(7);
  const out = new Uint8Array(20);
  const lengths = [0, 1, 3, 20, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 70_000];
  for (const n of lengths) {
    const bytes = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
    const expected = createHash("sha1").update(bytes).digest("hex");
    sha1Into(bytes, out);
    equal(hex(out), expected, `${n} bytes`);
    sha1Into(decodeLatin1(bytes), out);
    equal(hex(out), expected, `${n} bytes as a byte string`);
  }
});

Deno.test("sha1Into may write over its own input", () => {
  const buf = new Uint8Array(20).fill(7);
  const expected = createHash("sha1").update(buf).digest("hex");
  sha1Into(buf, buf);
  equal(hex(buf), expected);
});
