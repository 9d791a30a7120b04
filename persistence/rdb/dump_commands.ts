/**
 * DUMP and RESTORE (Redis's cluster.c `dumpCommand`, `restoreCommand`).
 *
 * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
 *
 * Checks in Redis's order: options (syntax, IDLETIME and FREQ ranges),
 * BUSYKEY, the TTL, the payload footer, the payload body. A relative TTL is
 * propagated as an absolute one with ABSTTL appended, so a replay restores
 * the same expire time; a TTL already in the past deletes the key (with
 * REPLACE) and propagates as DEL.
 *
 * IDLETIME sets the key's last access (OBJECT IDLETIME). Cairn keeps no
 * LFU counters, so FREQ is validated and otherwise ignored.
 *
 * @module
 */

import type { Client } from "../../core/client.ts";
import type { Core } from "../../core/core.ts";
import type { CommandSpec } from "../../core/command.ts";
import { latin1Bytes } from "../../core/bytes.ts";
import { BUSYKEY, NOT_INTEGER, SYNTAX_ERR } from "../../core/errors.ts";
import { parseInt64 } from "../../core/numbers.ts";
import { stampForIdle } from "../../core/keyspace/lru_clock.ts";
import { createDumpPayload, decodeDumpPayload, verifyDumpPayload } from "./dump.ts";

const BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";

function dump(c: Client, argv: string[]): void {
  const value = c.db.lookupRead(argv[1]);
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  const core = c.core;
  // rdbcompression (default yes) belongs to the persistence config keys.
  const compression = core.config.spec("rdbcompression") === undefined ||
    core.config.get<boolean>("rdbcompression");
  const payload = createDumpPayload(value, core.limits, { compression });
  c.reply.bulkBytes(payload);
}

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
  /** IDLETIME in seconds, or -1 when not given. */
  idle: number;
}

/** Parses the options after the payload; replies and returns null on error. */
function restoreOptions(c: Client, argv: string[]): RestoreOptions | null {
  const opts = { replace: false, absttl: false, idle: -1 };
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = argv.length - j - 1;
    if (opt === "replace") {
      opts.replace = true;
    } else if (opt === "absttl") {
      opts.absttl = true;
    } else if (opt === "idletime" && more >= 1 && freq === -1) {
      const v = parseInt64(argv[++j]);
      if (v === null) return fail(c, NOT_INTEGER);
      if (v < 0) return fail(c, "ERR Invalid IDLETIME value, must be >= 0");
      opts.idle = Number(v);
    } else if (opt === "freq" && more >= 1 && opts.idle === -1) {
      const v = parseInt64(argv[++j]);
      if (v === null) return fail(c, NOT_INTEGER);
      if (v < 0 || v > 255) return fail(c, "ERR Invalid FREQ value, must be >= 0 and <= 255");
      freq = Number(v);
    } else {
      return fail(c, SYNTAX_ERR);
    }
  }
  return opts;
}

function fail(c: Client, error: string): null {
  c.reply.error(error);
  return null;
}

/** DEBUG SET-SKIP-CHECKSUM-VALIDATION state. */
function skipChecksum(core: Core): boolean {
  return core.skipChecksumValidation;
}

function restore(c: Client, argv: string[]): void {
  const opts = restoreOptions(c, argv);
  if (opts === null) return;
  const key = argv[1];
  const db = c.db;
  if (!opts.replace && db.peek(key) !== undefined) {
    c.reply.error(BUSYKEY);
    return;
  }
  const parsed = parseInt64(argv[2]);
  if (parsed === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  if (parsed < 0) {
    c.reply.error("ERR Invalid TTL value, must be >= 0");
    return;
  }
  const core = c.core;
  const payload = latin1Bytes(argv[3]);
  if (!verifyDumpPayload(payload, skipChecksum(core))) {
    c.reply.error(BAD_PAYLOAD);
    return;
  }
  let value;
  try {
    value = decodeDumpPayload(payload, key, core.limits);
  } catch {
    c.reply.error("ERR Bad data format");
    return;
  }
  const deleted = opts.replace ? db.delete(key) : false;
  let ttl = Number(parsed);
  if (ttl !== 0 && !opts.absttl) ttl += core.now();
  if (ttl !== 0 && ttl <= core.now() && !core.loading) {
    // Already expired: nothing is created; a replaced key is gone.
    if (deleted) {
      if (core.propagating) c.rewriteArgv(["DEL", key]);
      core.dirty++;
    }
    c.reply.ok();
    return;
  }
  db.add(key, value);
  if (opts.idle >= 0) db.table.setAccessStamp(key, stampForIdle(opts.idle));
  if (ttl !== 0) {
    db.setExpire(key, ttl);
    if (!opts.absttl && core.propagating) {
      const rewritten = argv.slice();
      rewritten[2] = String(ttl);
      rewritten.push("ABSTTL");
      c.rewriteArgv(rewritten);
    }
  }
  c.reply.ok();
  core.dirty++;
}

/** DUMP and RESTORE. */
export const DUMP_COMMANDS: readonly CommandSpec[] = [
  {
    name: "dump",
    arity: 2,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    group: "generic",
    summary: "Serializes the value of a key in the RDB format",
    since: "2.6.0",
    handler: dump,
  },
  {
    name: "restore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    group: "generic",
    summary: "Creates a key from a DUMP payload",
    since: "2.6.0",
    handler: restore,
  },
];
