/**
 * The RESP base of a rewritten AOF: the shortest replay of the dataset, as
 * Redis's `rewriteAppendOnlyFileRio` writes it with
 * `aof-use-rdb-preamble no`:
 *
 * - an optional `#TS:<unix seconds>` line at the start;
 * - per non-empty database `SELECT <db>`, then per key:
 *   string → `SET k v`; list → `RPUSH k e1 .. e64` batches; set → `SADD`
 *   batches; sorted set → `ZADD k score member ...` batches of 64 pairs,
 *   scores printed with `%.17g`; hash → `HMSET k f v ...` batches of 64
 *   pairs; then `PEXPIREAT k <ms>` when the key has a TTL.
 *
 * @module
 */

import type { SnapshotVisitor } from "../../core/keyspace/snapshot.ts";
import type { Value } from "../../core/values/value.ts";
import { formatDouble17g } from "../../core/numbers.ts";
import { AofBuffer } from "./aof_buffer.ts";
import type { AofBaseWriter } from "./base_format.ts";

/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
export const ITEMS_PER_COMMAND = 64;

const EMPTY = new Uint8Array(0);

/** Writes a RESP rewrite base. */
export class RespBaseWriter implements AofBaseWriter<Uint8Array>, SnapshotVisitor<Uint8Array> {
  /** Always `resp`. */
  readonly format = "resp";
  /** This object is its own visitor. */
  readonly visitor: SnapshotVisitor<Uint8Array> = this;
  readonly #out = new AofBuffer(256 * 1024);
  readonly #timestamp: number | null;

  /** `timestampSeconds`: write a `#TS:` line first (`aof-timestamp-enabled`). */
  constructor(options: { timestampSeconds?: number } = {}) {
    this.#timestamp = options.timestampSeconds ?? null;
  }

  /** The `#TS:` line, if any. */
  begin(): Uint8Array {
    if (this.#timestamp === null) return EMPTY;
    const line = new AofBuffer(32);
    line.appendLine(`#TS:${this.#timestamp}`);
    return line.take();
  }

  /** What was written since the last call. */
  drain(): Uint8Array {
    return this.#out.length === 0 ? EMPTY : this.#out.take();
  }

  /** Nothing follows the keys. */
  end(): Uint8Array {
    return EMPTY;
  }

  /** `SELECT <db>`. */
  beginDb(index: number): void {
    this.#out.appendCommand(["SELECT", String(index)]);
  }

  /** The commands rebuilding one key. */
  writeKey(key: string, value: Value, expireAt: number): void {
    writeKeyCommands(this.#out, key, value, expireAt);
  }

  /** Serializes a key ahead of its database's section. */
  capture(key: string, value: Value, expireAt: number): Uint8Array {
    const out = new AofBuffer(256);
    writeKeyCommands(out, key, value, expireAt);
    return out.take();
  }

  /** Appends a captured key. */
  emitCaptured(captured: Uint8Array): void {
    this.#out.appendBytes(captured);
  }
}

/** Appends the commands that rebuild `key` (and its TTL) to `out`. */
export function writeKeyCommands(
  out: AofBuffer,
  key: string,
  value: Value,
  expireAt: number,
): void {
  if (typeof value === "string") {
    out.appendArrayHeader(3);
    out.appendBulk("SET");
    out.appendBulk(key);
    out.appendBulk(value);
  } else if (value.type === "list") {
    writeBatches(out, "RPUSH", key, value.length, value, 1);
  } else if (value.type === "set") {
    writeBatches(out, "SADD", key, value.size, value, 1);
  } else if (value.type === "zset") {
    writeBatches(out, "ZADD", key, value.size, zaddArgs(value.entries()), 2);
  } else {
    writeBatches(out, "HMSET", key, value.size, hashArgs(value.entries()), 2);
  }
  if (expireAt !== -1) {
    out.appendArrayHeader(3);
    out.appendBulk("PEXPIREAT");
    out.appendBulk(key);
    out.appendBulk(String(expireAt));
  }
}

/**
 * Writes `count` items (each `width` arguments long) as commands of at most
 * {@link ITEMS_PER_COMMAND} items: `NAME key arg ...`.
 */
function writeBatches(
  out: AofBuffer,
  name: string,
  key: string,
  count: number,
  args: Iterable<string>,
  width: number,
): void {
  let itemsLeft = count;
  let argsLeftInCommand = 0;
  for (const arg of args) {
    if (argsLeftInCommand === 0) {
      const items = Math.min(itemsLeft, ITEMS_PER_COMMAND);
      itemsLeft -= items;
      argsLeftInCommand = items * width;
      out.appendArrayHeader(2 + argsLeftInCommand);
      out.appendBulk(name);
      out.appendBulk(key);
    }
    out.appendBulk(arg);
    argsLeftInCommand--;
  }
}

function* zaddArgs(entries: Iterable<[string, number]>): Iterable<string> {
  for (const [member, score] of entries) {
    yield formatDouble17g(score);
    yield member;
  }
}

function* hashArgs(entries: Iterable<[string, string]>): Iterable<string> {
  for (const [field, value] of entries) {
    yield field;
    yield value;
  }
}
