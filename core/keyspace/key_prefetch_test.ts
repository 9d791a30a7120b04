import { deepEqual, equal } from "node:assert/strict";
import { KeyPrefetcher, PREFETCH_MAX_KEYS, PREFETCH_MIN_KEYS } from "./key_prefetch.ts";
import { KeyTable } from "./key_table.ts";
import { hashKey } from "./key_map.ts";
import { RequestParser } from "../resp/request_parser.ts";

const encoder = new TextEncoder();

function parserWith(...keys: string[]): RequestParser {
  const parser = new RequestParser();
  const text = keys.map((k) => `*2\r\n$3\r\nGET\r\n$${k.length}\r\n${k}\r\n`).join("");
  parser.append(encoder.encode(text));
  return parser;
}

function tableOf(size: number): KeyTable<string> {
  const table = new KeyTable<string>();
  for (let i = 0; i < size; i++) table.set("key:" + i, "value:" + i);
  return table;
}

Deno.test("the prefetcher covers the buffered requests of a large table, at most PREFETCH_MAX_KEYS at a time", () => {
  const table = tableOf(PREFETCH_MIN_KEYS);
  // A stamp the clock would not give now, so that an access would show.
  table.setAccessStamp("key:7", 12345);
  const prefetcher = new KeyPrefetcher();
  const keys = Array.from({ length: PREFETCH_MAX_KEYS + 10 }, (_, i) => "key:" + i * 7);
  equal(prefetcher.prefetch(parserWith(...keys.slice(0, 16)), table), 16);
  equal(prefetcher.prefetch(parserWith(...keys), table), PREFETCH_MAX_KEYS);
  // Reading ahead is not an access: sizes, values and LRU stamps are as they were.
  equal(table.size, PREFETCH_MIN_KEYS);
  equal(table.get("key:7"), "value:7");
  equal(table.accessStamp("key:7"), 12345);
});

Deno.test("the prefetcher skips small tables and single requests", () => {
  const prefetcher = new KeyPrefetcher();
  equal(prefetcher.prefetch(parserWith("key:1", "key:2"), tableOf(PREFETCH_MIN_KEYS - 1)), 0);
  equal(prefetcher.prefetch(parserWith("key:1"), tableOf(PREFETCH_MIN_KEYS)), 0);
});

Deno.test("hashOf gives the hash of each prefetched key by where it starts, once, in order", () => {
  const table = tableOf(PREFETCH_MIN_KEYS);
  const prefetcher = new KeyPrefetcher();
  const parser = new RequestParser();
  parser.append(encoder.encode(
    "*2\r\n$3\r\nGET\r\n$5\r\nkey:1\r\n*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$6\r\nkey:22\r\n",
  ));
  equal(prefetcher.prefetch(parser, table), 3);
  const seen: [string, number][] = [];
  for (let argv = parser.next(); argv !== null; argv = parser.next()) {
    seen.push([argv.join(" "), prefetcher.hashOf(parser.keyFrom)]);
  }
  const expected = [
    ["GET key:1", hashKey("key:1")],
    ["PING", -1],
    ["GET key:22", hashKey("key:22")],
  ];
  deepEqual(seen, expected);
  equal(prefetcher.hashOf(0), -1, "a position asked for again, or before the cursor");
  // A prefetch that covers nothing forgets the hashes of the last one.
  const again = parserWith("key:1", "key:2");
  equal(prefetcher.prefetch(again, tableOf(10)), 0);
  again.next();
  equal(prefetcher.hashOf(again.keyFrom), -1);
});
