/**
 * Turns `write` events (core/events.ts) into AOF records exactly as Redis
 * 7.0 writes them (`feedAppendOnlyFile`, `propagatePendingCommands`):
 *
 * - each op is a RESP array of bulk strings, its argv as carried by the
 *   event (the command name keeps the client's case);
 * - `SELECT <db>` precedes an op whose database differs from the last one
 *   written; the encoder starts with no database selected, and
 *   {@link AofRecordEncoder.resetSelectedDb} forgets it again (a rewrite
 *   starts, a new file is opened) so the next record begins with a SELECT;
 * - a unit with more than one op is wrapped in `MULTI` ... `EXEC` when it is
 *   atomic. 7.0 tags the MULTI with the first op's database, so a SELECT
 *   can come *before* MULTI, and SELECTs appear inside the block when the
 *   ops switch databases; EXEC takes the last op's database, so it is never
 *   preceded by a SELECT;
 * - with timestamps on, a `#TS:<unix seconds>` line precedes the first
 *   record written in a new second (`genAofTimestampAnnotationIfNeeded`).
 *
 * @module
 */

import type { WriteEvent } from "../../core/events.ts";
import { AofBuffer } from "./aof_buffer.ts";

const MULTI: readonly string[] = ["MULTI"];
const EXEC: readonly string[] = ["EXEC"];

/** Encodes write units into AOF records. */
export class AofRecordEncoder {
  /** Write `#TS:` annotations (`aof-timestamp-enabled`). */
  timestamps: boolean;
  #selectedDb = -1;
  #lastTimestamp = 0;

  /** Creates an encoder with no database selected. */
  constructor(options: { timestamps?: boolean } = {}) {
    this.timestamps = options.timestamps ?? false;
  }

  /** The database of the last record written, or -1 when the next record must SELECT. */
  get selectedDb(): number {
    return this.#selectedDb;
  }

  /** Forces a SELECT before the next record (Redis sets `aof_selected_db` to -1). */
  resetSelectedDb(): void {
    this.#selectedDb = -1;
  }

  /** Appends the records of one execution unit to `out`. */
  appendUnit(out: AofBuffer, unit: WriteEvent): void {
    const ops = unit.ops;
    if (ops.length === 0) return;
    if (this.timestamps) this.#timestamp(out, unit.time);
    if (ops.length > 1 && unit.atomic) {
      this.#select(out, ops[0].db);
      out.appendCommand(MULTI);
      for (let i = 0; i < ops.length; i++) this.#op(out, ops[i].db, ops[i].argv);
      out.appendCommand(EXEC);
      return;
    }
    for (let i = 0; i < ops.length; i++) this.#op(out, ops[i].db, ops[i].argv);
  }

  /** Appends one command on database `db` (with a SELECT first when needed). */
  appendCommand(out: AofBuffer, db: number, argv: readonly string[]): void {
    this.#op(out, db, argv);
  }

  #op(out: AofBuffer, db: number, argv: readonly string[]): void {
    this.#select(out, db);
    out.appendCommand(argv);
  }

  #select(out: AofBuffer, db: number): void {
    if (db === this.#selectedDb) return;
    out.appendCommand(["SELECT", String(db)]);
    this.#selectedDb = db;
  }

  #timestamp(out: AofBuffer, timeMs: number): void {
    const seconds = Math.floor(timeMs / 1000);
    if (seconds <= this.#lastTimestamp) return;
    this.#lastTimestamp = seconds;
    out.appendLine(`#TS:${seconds}`);
  }
}

/** The bytes of one command as an AOF record (tests, tools). */
export function encodeAofCommand(argv: readonly string[]): Uint8Array {
  const buf = new AofBuffer(64);
  buf.appendCommand(argv);
  return buf.take();
}
