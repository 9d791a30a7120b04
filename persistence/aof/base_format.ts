/**
 * The format of a rewritten AOF's base — the image of the dataset a
 * rewrite writes before the changes made meanwhile are appended.
 *
 * A rewrite walks the keyspace with `runSnapshotJob` and hands every key to
 * an {@link AofBaseWriter}. The engine has the RESP writer
 * (rewrite_resp.ts). An RDB base (`aof-use-rdb-preamble yes`) is offered by
 * a plugin through the capability named {@link AOF_RDB_BASE_FORMAT}:
 *
 * ```ts
 * // in the hybrid plugin's setup:
 * ctx.provide<AofRdbBaseFormat>(AOF_RDB_BASE_FORMAT, { createWriter: (o) => ... });
 * // in an AOF plugin, when starting a rewrite:
 * const rdb = ctx.use<AofRdbBaseFormat>(AOF_RDB_BASE_FORMAT);
 * const base = useRdb && rdb ? rdb.createWriter({ kind: "preamble" }) : new RespBaseWriter(...);
 * ```
 *
 * Without a provider, AOF plugins fall back to RESP (and log it once).
 *
 * @module
 */

import type { SnapshotVisitor } from "../../core/keyspace/snapshot.ts";

/** Name of the capability that provides {@link AofRdbBaseFormat}. */
export const AOF_RDB_BASE_FORMAT = "aof.base-format.rdb";

/** Serializes one rewrite's base, fed by a snapshot walk. */
export interface AofBaseWriter<C = unknown> {
  /** `rdb` or `resp`, for log lines. */
  readonly format: "rdb" | "resp";
  /** Receives the keys from the walk. */
  readonly visitor: SnapshotVisitor<C>;
  /** Bytes that go before the keys (RDB header and AUX fields, or a `#TS:` line). */
  begin(): Uint8Array;
  /** Bytes the visitor produced since the last call (empty when none). */
  drain(): Uint8Array;
  /** Bytes that go after the keys (RDB EOF opcode and checksum). */
  end(): Uint8Array;
}

/** What a provider of RDB bases offers (implemented by the hybrid-preamble plugin). */
export interface AofRdbBaseFormat {
  /**
   * A writer of one RDB image. `kind` says where it goes: `preamble` at the
   * start of a single-file AOF (Redis writes the `aof-preamble` AUX field),
   * `base` as a multi-part base file (`aof-base`). The provider reads its
   * own settings (compression, checksum) from the configuration.
   */
  createWriter(options: { kind: "preamble" | "base" }): AofBaseWriter;
}
