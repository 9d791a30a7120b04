import { deepEqual, equal } from "node:assert/strict";
import { RequestParser } from "./request_parser.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("latin1");

function multibulk(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

/** The keys forEachPendingKey visits (at most `max`) and the request count it returns. */
function pendingKeys(parser: RequestParser, max = 64): [string[], number] {
  const keys: string[] = [];
  const requests = parser.forEachPendingKey((bytes, from, to) => {
    keys.push(decoder.decode(bytes.subarray(from, to)));
  }, max);
  return [keys, requests];
}

Deno.test("forEachPendingKey visits argument 1 of each complete request and consumes nothing", () => {
  const parser = new RequestParser();
  parser.append(encoder.encode(
    multibulk("SET", "k1", "v") + multibulk("PING") + multibulk("GET", "k\r\n2") +
      multibulk("MSET", "k3", "a", "k4", "b"),
  ));
  deepEqual(pendingKeys(parser), [["k1", "k\r\n2", "k3"], 4]);
  deepEqual(parser.next(), ["SET", "k1", "v"]);
  deepEqual(pendingKeys(parser), [["k\r\n2", "k3"], 3]);
  deepEqual(parser.next(), ["PING"]);
  deepEqual(parser.next(), ["GET", "k\r\n2"]);
  deepEqual(parser.next(), ["MSET", "k3", "a", "k4", "b"]);
  equal(parser.next(), null);
  deepEqual(pendingKeys(parser), [[], 0]);
});

Deno.test("forEachPendingKey stops at `max` requests", () => {
  const parser = new RequestParser();
  parser.append(
    encoder.encode(multibulk("GET", "a") + multibulk("GET", "b") + multibulk("GET", "c")),
  );
  deepEqual(pendingKeys(parser, 2), [["a", "b"], 2]);
});

Deno.test("forEachPendingKey stops quietly at an incomplete, inline or malformed request", () => {
  const whole = multibulk("GET", "a") + multibulk("SET", "b", "value");
  // Every cut inside the second request leaves only the first one complete.
  for (let cut = multibulk("GET", "a").length; cut < whole.length; cut++) {
    const parser = new RequestParser();
    parser.append(encoder.encode(whole.slice(0, cut)));
    deepEqual(pendingKeys(parser), [["a"], 1], `cut at ${cut}`);
  }
  for (const tail of ["GET b\r\n", "*2\r\n$3\r\nGET\r\n$x\r\n", "*1\r\n+GET\r\n", "*-1\r\n"]) {
    const parser = new RequestParser();
    parser.append(encoder.encode(multibulk("GET", "a") + tail + multibulk("GET", "c")));
    deepEqual(pendingKeys(parser), [["a"], 1], JSON.stringify(tail));
  }
});

Deno.test("forEachPendingKey starts after a request whose arguments are still arriving", () => {
  const parser = new RequestParser();
  parser.append(encoder.encode("*2\r\n$3\r\nGET\r\n"));
  equal(parser.next(), null);
  parser.append(encoder.encode("$1\r\na\r\n" + multibulk("GET", "b")));
  // The parser is inside a request: the scan cannot tell where it ends, so it visits nothing.
  deepEqual(pendingKeys(parser), [[], 0]);
  deepEqual(parser.next(), ["GET", "a"]);
  deepEqual(pendingKeys(parser), [["b"], 1]);
});

Deno.test("keyFrom is where argument 1 of the last request starts in the buffer, or -1", () => {
  const parser = new RequestParser();
  const text = multibulk("GET", "k1") + multibulk("PING") + "GET k2\r\n" +
    multibulk("SET", "k3", "v");
  parser.append(encoder.encode(text));
  deepEqual(parser.next(), ["GET", "k1"]);
  equal(parser.keyFrom, text.indexOf("k1"));
  deepEqual(parser.next(), ["PING"]);
  equal(parser.keyFrom, -1, "a request without argument 1");
  deepEqual(parser.next(), ["GET", "k2"]);
  equal(parser.keyFrom, -1, "an inline request");
  deepEqual(parser.next(), ["SET", "k3", "v"]);
  equal(parser.keyFrom, text.indexOf("k3"));
});
