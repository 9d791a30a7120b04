/**
 * The DEBUG command and the subcommands the core provides (Redis's debug.c).
 *
 * DEBUG itself only dispatches: every subcommand, the core's and those other
 * families and plugins add with `core.addDebugSubcommands`, lives in
 * `core.debugSubcommands`, and DEBUG HELP lists their `help` texts in
 * registration order. A subcommand checks its own argument count and replies
 * {@link subcommandSyntaxError} when it is wrong, as Redis does.
 *
 * DEBUG OBJECT's `serializedlength` is the size of the value's RDB payload.
 * The RDB codec lives outside the core, so the RDB plugin supplies it with
 * {@link setSerializedLengthProvider}; until one is set, strings are measured
 * exactly as Redis writes them uncompressed and collections are estimated.
 *
 * @module
 */

import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import type { Core, DebugSubcommand } from "../core.ts";
import type { Value } from "../values/value.ts";
import { NO_SUCH_KEY } from "../errors.ts";
import { parseInt64 } from "../numbers.ts";
import { decodeLatin1 } from "../bytes.ts";
import { hashKey } from "../keyspace/key_map.ts";
import { idleMillis, lruClock } from "../keyspace/lru_clock.ts";
import { datasetDigest, digestHex, valueDigest } from "../digest.ts";
import { stringEncoding, stringRefcount } from "./strings.ts";
import { replyHelp, subcommandSyntaxError } from "./help_reply.ts";

/** Computes the RDB payload size of a value (DEBUG OBJECT's `serializedlength`). */
export type SerializedLengthProvider = (value: Value) => number;

const lengthProviders = new WeakMap<Core, SerializedLengthProvider>();

/** Lets the RDB codec's owner report exact `serializedlength`s for `core`. */
export function setSerializedLengthProvider(core: Core, provider: SerializedLengthProvider): void {
  lengthProviders.set(core, provider);
}

function debug(c: Client, argv: string[]): void {
  const sub = c.core.debugSubcommands.get(argv[1].toLowerCase());
  if (sub === undefined) c.reply.error(subcommandSyntaxError(argv));
  else sub.handler(c, argv);
}

// ------------------------------------------------------------ arguments

/** C's `atoi`: optional blanks and sign, then digits; anything else stops it. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number.parseInt(m[1], 10) | 0;
}

/** C's `strtod` on a prefix of `s`: what it can read, else 0. */
function strtod(s: string): number {
  const v = Number.parseFloat(s.trimStart());
  return Number.isNaN(v) ? 0 : v;
}

/**
 * Reads a non-negative integer like Redis's getPositiveLongFromObjectOrReply,
 * whose one message covers both a negative number and no number at all.
 */
function positiveLong(c: Client, text: string): number | null {
  const v = parseInt64(text);
  if (v === null || v < 0) {
    c.reply.error("ERR value is out of range, must be positive");
    return null;
  }
  return Number(v);
}

/** Wraps a handler that takes exactly `argc` arguments (DEBUG and the subcommand included). */
function exactly(argc: number, handler: (c: Client, argv: string[]) => void) {
  return (c: Client, argv: string[]) => {
    if (argv.length !== argc) c.reply.error(subcommandSyntaxError(argv));
    else handler(c, argv);
  };
}

// -------------------------------------------------------------- simple

/** Blocks the whole process, as Redis's nanosleep does: nothing else runs meanwhile. */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function debugSleep(c: Client, argv: string[]): void {
  sleepSync(Math.trunc(strtod(argv[2]) * 1e6) / 1000);
  c.reply.ok();
}

function debugPauseCron(c: Client, argv: string[]): void {
  c.core.cronPaused = atoi(argv[2]) !== 0;
  c.reply.ok();
}

function debugSetActiveExpire(c: Client, argv: string[]): void {
  c.core.activeExpireEnabled = atoi(argv[2]) !== 0;
  c.reply.ok();
}

function debugLog(c: Client, argv: string[]): void {
  c.core.log.warning(`DEBUG LOG: ${argv[2]}`);
  c.reply.ok();
}

function debugError(c: Client, argv: string[]): void {
  c.reply.error(argv[2]);
}

// ------------------------------------------------------------- digests

function debugDigest(c: Client): void {
  c.reply.simple(digestHex(datasetDigest(c.core.dbs)));
}

// Reads keys straight from the table: logically expired keys still count
// and no hit or miss is recorded, as Redis's dictFind.
function debugDigestValue(c: Client, argv: string[]): void {
  const table = c.db.table;
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const key = argv[i];
    const value = table.get(key);
    c.reply.simple(digestHex(valueDigest(value, table.getExpire(key) !== undefined)));
  }
}

// ------------------------------------------------------------ populate

function debugPopulate(c: Client, argv: string[]): void {
  if (argv.length < 3 || argv.length > 5) {
    c.reply.error(subcommandSyntaxError(argv));
    return;
  }
  const count = positiveLong(c, argv[2]);
  if (count === null) return;
  const size = argv.length === 5 ? positiveLong(c, argv[4]) : 0;
  if (size === null) return;
  const prefix = argv.length >= 4 ? argv[3] : "key";
  const db = c.db;
  const scratch = new Uint8Array(Math.max(size, 128));
  for (let j = 0; j < count; j++) {
    // Redis formats into a 128-byte buffer: longer names are cut.
    const key = flatString(`${prefix}:${j}`, 127, scratch);
    if (db.lookupWrite(key) !== undefined) continue;
    db.add(key, size === 0 ? `value:${j}` : flatString(`value:${j}`, size, scratch, true));
  }
  c.reply.ok();
}

/**
 * `text` cut to `size` bytes (or padded to exactly `size` with zero bytes
 * when `pad`), as a flat string decoded from bytes. Built by concatenation
 * or slicing, it would be a V8 cons or sliced string: more memory per value
 * than the flat strings a client's SET stores, and slower to serialize, so
 * benchmarks on populated data would measure the wrong thing.
 */
function flatString(text: string, size: number, scratch: Uint8Array, pad = false): string {
  const n = Math.min(text.length, size);
  for (let i = 0; i < n; i++) scratch[i] = text.charCodeAt(i);
  if (!pad) return decodeLatin1(scratch, 0, n);
  scratch.fill(0, n, size);
  return decodeLatin1(scratch, 0, size);
}

// -------------------------------------------------------------- object

function serializedLength(core: Core, value: Value): number {
  // The RDB codec reports the exact size (server/builtin_extensions.ts); a
  // bare core without it has no serialization to measure.
  return lengthProviders.get(core)?.(value) ?? 0;
}

function debugObject(c: Client, argv: string[]): void {
  const key = argv[2];
  const value = c.db.table.get(key);
  if (value === undefined) {
    c.reply.error(NO_SUCH_KEY);
    return;
  }
  let encoding: string;
  let length: number;
  try {
    encoding = typeof value === "string"
      ? stringEncoding(c.db, key, value)
      : value.encoding(c.core.limits);
    length = serializedLength(c.core, value);
  } catch (e) {
    c.reply.error(`ERR DEBUG OBJECT cannot describe this value: ${e}`);
    return;
  }
  const refcount = typeof value === "string" ? stringRefcount(c.db, key, value) : 1;
  // Cairn keeps no addresses: the address shown is the key's hash.
  const lru = c.db.table.accessStamp(key) ?? lruClock();
  const idle = Math.floor(idleMillis(lru) / 1000);
  c.reply.simple(
    `Value at:0x${hashKey(key).toString(16)} refcount:${refcount} ` +
      `encoding:${encoding} serializedlength:${length} lru:${lru} lru_seconds_idle:${idle}`,
  );
}

// ------------------------------------------------------------ protocol

const PROTOCOL_TYPES_ERROR = "ERR Wrong protocol type name. Please use one of the following: " +
  "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false";

function debugProtocol(c: Client, argv: string[]): void {
  const r = c.reply;
  switch (argv[2].toLowerCase()) {
    case "string":
      return r.bulk("Hello World");
    case "integer":
      return r.integer(12345);
    case "double":
      return r.double(3.141);
    case "bignum":
      return r.bigNumber("1234567999999999999999999999999999999");
    case "null":
      return r.nullBulk();
    case "array":
      r.array(3);
      for (let j = 0; j < 3; j++) r.integer(j);
      return;
    case "set":
      r.set(3);
      for (let j = 0; j < 3; j++) r.integer(j);
      return;
    case "map":
      r.map(3);
      for (let j = 0; j < 3; j++) r.integer(j), r.boolean(j === 1);
      return;
    case "attrib":
      return protocolAttribute(c);
    case "push":
      return protocolPush(c);
    case "verbatim":
      return r.verbatim("This is a verbatim\nstring");
    case "true":
      return r.boolean(true);
    case "false":
      return r.boolean(false);
    default:
      r.error(PROTOCOL_TYPES_ERROR);
  }
}

// An attribute is not a reply by itself: a real reply always follows it.
function protocolAttribute(c: Client): void {
  const r = c.reply;
  if (c.resp === 3) {
    r.attribute(1);
    r.bulk("key-popularity");
    r.array(2);
    r.bulk("key:123");
    r.integer(90);
  }
  r.bulk("Some real reply following the attribute");
}

// A push is out of band: a normal reply follows so a waiting client gets one.
function protocolPush(c: Client): void {
  const r = c.reply;
  if (c.resp !== 3) {
    r.error("ERR RESP2 is not supported by this command");
    return;
  }
  r.push(2);
  r.bulk("server-cpu-usage");
  r.integer(42);
  r.bulk("Some real reply following the push reply");
}

// ---------------------------------------------------------------- help

function debugHelp(c: Client, argv: string[]): void {
  const lines: string[] = [];
  for (const sub of c.core.debugSubcommands.values()) {
    if (sub.name !== "help") lines.push(...sub.help.split("\n"));
  }
  replyHelp(c, argv[0], lines);
}

/** The DEBUG command (refused unless `enable-debug-command` allows it). */
export const DEBUG_COMMANDS: readonly CommandSpec[] = [
  {
    name: "debug",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale", "protected"],
    group: "server",
    summary: "Runs a debugging or testing operation",
    since: "1.0.0",
    handler: debug,
  },
];

/** DEBUG subcommands provided by this family. */
export const DEBUG_DEBUG_SUBCOMMANDS: readonly DebugSubcommand[] = [
  { name: "help", help: "", handler: exactly(2, debugHelp) },
  {
    name: "digest",
    help: "DIGEST\n    Output a hex signature representing the current DB content.",
    handler: exactly(2, debugDigest),
  },
  {
    name: "digest-value",
    help: "DIGEST-VALUE <key> [<key> ...]\n" +
      "    Output a hex signature of the values of all the specified keys.",
    handler: debugDigestValue,
  },
  {
    name: "error",
    help: "ERROR <string>\n" +
      "    Return a Redis protocol error with <string> as message. Useful for clients\n" +
      "    unit tests to simulate Redis errors.",
    handler: exactly(3, debugError),
  },
  {
    name: "log",
    help: "LOG <message>\n    Write <message> to the server log.",
    handler: exactly(3, debugLog),
  },
  {
    name: "object",
    help: "OBJECT <key>\n    Show low level info about `key` and associated value.",
    handler: exactly(3, debugObject),
  },
  {
    name: "populate",
    help: "POPULATE <count> [<prefix>] [<size>]\n" +
      "    Create <count> string keys named key:<num>. If <prefix> is specified then\n" +
      "    it is used instead of the 'key' prefix. These are not propagated to\n" +
      "    replicas. Cluster slots are not respected so keys not belonging to the\n" +
      "    current node can be created in cluster mode.",
    handler: debugPopulate,
  },
  {
    name: "protocol",
    help: "PROTOCOL <type>\n" +
      "    Reply with a test value of the specified type. <type> can be: string,\n" +
      "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,\n" +
      "    true, false.",
    handler: exactly(3, debugProtocol),
  },
  {
    name: "set-active-expire",
    help: "SET-ACTIVE-EXPIRE <0|1>\n" +
      "    Setting it to 0 disables expiring keys in background when they are not\n" +
      "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the\n" +
      "    default.",
    handler: exactly(3, debugSetActiveExpire),
  },
  {
    name: "sleep",
    help: "SLEEP <seconds>\n    Stop the server for <seconds>. Decimals allowed.",
    handler: exactly(3, debugSleep),
  },
  {
    name: "pause-cron",
    help: "PAUSE-CRON <0|1>\n    Stop periodic cron job processing.",
    handler: exactly(3, debugPauseCron),
  },
];
