/**
 * An AOF rewrite's base as an RDB image: the {@link AofBaseWriter} the
 * hybrid-preamble plugin provides. It wraps the RDB codec's incremental
 * encoder and snapshot visitor.
 *
 * The header carries Redis 7.0's AUX fields with `aof-base` = 1: 7.0 writes
 * that field for every RDB saved as part of an AOF (`rdbSaveRio` with
 * RDBFLAGS_AOF_PREAMBLE), whether it becomes a multi-part `.base.rdb` or
 * the head of a single-file AOF; it never writes 6.x's `aof-preamble`.
 *
 * @module
 */

import type { AofBaseWriter } from "../../persistence/aof/base_format.ts";
import {
  type AuxFields,
  RdbEncoder,
  RdbSnapshotVisitor,
  type RdbWriterOptions,
} from "../../persistence/rdb/mod.ts";

const EMPTY = new Uint8Array(0);

/** Serializes one rewrite's base as RDB. */
export class RdbBaseWriter implements AofBaseWriter<Uint8Array> {
  /** Always `rdb`. */
  readonly format = "rdb";
  /** Writes key records into the encoder. */
  readonly visitor: RdbSnapshotVisitor;
  readonly #encoder: RdbEncoder;
  readonly #aux: AuxFields;

  /** `options`: encodings, compression, checksum; `aux`: header values (aof-base is forced on). */
  constructor(options: RdbWriterOptions, aux: AuxFields = {}) {
    this.#encoder = new RdbEncoder(options);
    this.visitor = new RdbSnapshotVisitor(this.#encoder, options);
    this.#aux = { ...aux, aofBase: true };
  }

  /** Magic, version and AUX fields. */
  begin(): Uint8Array {
    this.#encoder.header(this.#aux);
    return this.#encoder.take();
  }

  /** Key records produced since the last call. */
  drain(): Uint8Array {
    return this.#encoder.pending === 0 ? EMPTY : this.#encoder.take();
  }

  /** EOF and the checksum. */
  end(): Uint8Array {
    this.#encoder.end();
    return this.#encoder.take();
  }
}
