/**
 * Loading one AOF file (Redis 7.0's `loadSingleAppendOnlyFile`), for any
 * layout: the classic single file, or each file of a multi-part AOF.
 *
 * - An empty file loads nothing (status `empty`); a missing one reports
 *   `not-exist`.
 * - A file starting with `REDIS` holds an RDB image first (a preamble, or
 *   a multi-part RDB base): it is read with the RDB reader and the keys are
 *   stored as they are (an expired key is kept, as with Redis's preamble
 *   flag); parsing then continues with RESP right after its checksum.
 * - Records are streamed in chunks (see record_reader.ts) and replayed
 *   through an {@link AofReplayTarget}; `#` annotation lines are skipped.
 *   The event loop gets a turn every 1024 commands and every
 *   `yieldBytes`, so clients are answered `-LOADING` meanwhile.
 * - A truncated tail — the input ends inside a record, or inside a
 *   MULTI whose EXEC never came — is handled per `aof-load-truncated`: with
 *   `yes` the file is cut on disk after the last complete record (before
 *   the unfinished MULTI), Redis's three warnings are logged and loading
 *   succeeds with status `truncated`; with `no` it is fatal. A half
 *   transaction is never applied: its commands were only queued.
 * - Anything else malformed is corruption: always fatal, and the error
 *   names the file, the byte offset and the record.
 * - A command the server does not know is fatal, with Redis's message.
 *
 * Fatal errors are logged with Redis's lines, then thrown as
 * {@link AofLoadError}.
 *
 * @module
 */

import { byteStringToUtf8 } from "../../core/bytes.ts";
import type { Logger } from "../../core/log.ts";
import { readRdb } from "../rdb/reader.ts";
import { yieldToEventLoop } from "../snapshot_job.ts";
import { AofLoadError, quoteBytes } from "./errors.ts";
import { systemErrorText } from "./file.ts";
import { AofRecordReader, ReadStatus } from "./record_reader.ts";
import type { AofReplayTarget } from "./replay.ts";

/** How to load one AOF file. */
export interface AofLoadOptions {
  /** The file. */
  path: string;
  /** Its name in log lines (default: `path`). */
  name?: string;
  /** Where commands and preamble keys go. */
  target: AofReplayTarget;
  /** Where Redis's log lines go. */
  log: Logger;
  /** `aof-load-truncated`: cut a truncated tail off and continue, instead of failing. */
  loadTruncated: boolean;
  /**
   * What the fatal messages tell the user to run redis-check-aof on:
   * `<filename>` for a single file, `<filename.manifest>` (Redis 7.0's
   * text, the default) for a multi-part AOF.
   */
  fixTarget?: string;
  /** Which RDB log line to print: a single file's `preamble` (default) or a multi-part `base`. */
  rdbPart?: "preamble" | "base";
  /** Bytes between two turns given to the event loop (`loading-process-events-interval-bytes`). */
  yieldBytes?: number;
  /** `key-load-delay`: microseconds to wait after each command (tests). */
  keyLoadDelayMicros?: number;
  /** Bytes read per chunk (default 1 MiB). */
  chunkBytes?: number;
  /** Called with the bytes loaded so far and the file size, at every yield. */
  onProgress?(loadedBytes: number, totalBytes: number): void;
}

/** How a load ended (Redis's AOF_OK, AOF_EMPTY, AOF_TRUNCATED, AOF_NOT_EXIST). */
export type AofLoadStatus = "ok" | "empty" | "truncated" | "not-exist";

/** What a load did. */
export interface AofLoadResult {
  /** How it ended. */
  status: AofLoadStatus;
  /** Size of the file once loaded (after any truncation). */
  size: number;
  /** RESP records replayed (SELECT, MULTI and EXEC included). */
  commands: number;
  /** Keys read from the RDB part. */
  rdbKeys: number;
  /** Where the file was cut, or -1. */
  truncatedAt: number;
}

const COMMANDS_PER_YIELD = 1024;

/** Loads the AOF file `options.path` into `options.target`. See the module documentation. */
export async function loadAofFile(options: AofLoadOptions): Promise<AofLoadResult> {
  const name = options.name ?? options.path;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(options.path, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      options.log.warning(
        `The append log file ${name} doesn't exist: No such file or directory`,
      );
      return { status: "not-exist", size: 0, commands: 0, rdbKeys: 0, truncatedAt: -1 };
    }
    const reason = systemErrorText(e);
    options.log.warning(
      `Fatal error: can't open the append log file ${name} for reading: ${reason}`,
    );
    throw new AofLoadError("read", `Can't open the append only file ${name}: ${reason}`);
  }
  try {
    const size = (await file.stat()).size;
    if (size === 0) return { status: "empty", size: 0, commands: 0, rdbKeys: 0, truncatedAt: -1 };
    return await new FileLoad(file, size, name, options).run();
  } finally {
    file.close();
  }
}

/** One load in progress. */
class FileLoad {
  readonly #file: Deno.FsFile;
  readonly #size: number;
  readonly #name: string;
  readonly #opts: AofLoadOptions;
  #commands = 0;
  #rdbKeys = 0;

  constructor(file: Deno.FsFile, size: number, name: string, options: AofLoadOptions) {
    this.#file = file;
    this.#size = size;
    this.#name = name;
    this.#opts = options;
  }

  async run(): Promise<AofLoadResult> {
    const reader = await this.#openReader();
    const target = this.#opts.target;
    const yieldBytes = this.#opts.yieldBytes ?? 2 << 20;
    const delay = this.#opts.keyLoadDelayMicros ?? 0;
    let validUpTo = reader.offset;
    let validBeforeMulti = validUpTo;
    let sinceYield = 0;
    let lastYieldOffset = reader.offset;
    while (true) {
      const status = reader.next();
      if (status === ReadStatus.Record) {
        const argv = reader.argv;
        if (argv[0].length === 5 && argv[0].toLowerCase() === "multi") validBeforeMulti = validUpTo;
        if (!target.apply(argv)) this.#unknownCommand(argv[0]);
        this.#commands++;
        validUpTo = reader.recordEnd;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay / 1000));
        if (++sinceYield >= COMMANDS_PER_YIELD || reader.offset - lastYieldOffset >= yieldBytes) {
          sinceYield = 0;
          lastYieldOffset = reader.offset;
          this.#opts.onProgress?.(reader.offset, this.#size);
          await yieldToEventLoop();
        }
      } else if (status === ReadStatus.NeedMore) {
        await reader.fill();
      } else if (status === ReadStatus.End) {
        break;
      } else if (status === ReadStatus.Truncated) {
        if (target.inMulti) validUpTo = this.#revertMulti(validBeforeMulti);
        return await this.#truncatedTail(validUpTo);
      } else if (status === ReadStatus.FormatError) {
        this.#badFormat(reader);
      }
      // Annotations need nothing.
    }
    this.#opts.onProgress?.(this.#size, this.#size);
    if (target.inMulti) {
      // Well-formed, but the EXEC never came: handled like a short read.
      return await this.#truncatedTail(this.#revertMulti(validBeforeMulti));
    }
    return this.#result("ok", this.#size, -1);
  }

  /** Reads the RDB part if the file has one; returns a reader positioned on the RESP part. */
  async #openReader(): Promise<AofRecordReader> {
    const chunkBytes = this.#opts.chunkBytes;
    const head = new Uint8Array(5);
    let got = 0;
    while (got < 5) {
      const n = await this.#file.read(head.subarray(got));
      if (n === null) break;
      got += n;
    }
    const isRdb = got === 5 && String.fromCharCode(...head) === "REDIS";
    if (!isRdb) {
      return new AofRecordReader(this.#file, {
        initial: head.subarray(0, got),
        totalBytes: this.#size,
        chunkBytes,
      });
    }
    await this.#file.seek(0, Deno.SeekMode.Start);
    const { endOffset, trailing } = await this.#readRdbPart();
    return new AofRecordReader(this.#file, {
      base: endOffset,
      initial: trailing,
      totalBytes: this.#size,
      chunkBytes,
    });
  }

  async #readRdbPart(): Promise<{ endOffset: number; trailing: Uint8Array }> {
    const log = this.#opts.log;
    const preamble = (this.#opts.rdbPart ?? "preamble") === "preamble";
    log.notice(
      preamble
        ? "Reading RDB preamble from AOF file..."
        : "Reading RDB base file on AOF loading...",
    );
    const target = this.#opts.target;
    try {
      const result = await readRdb(this.#file, {
        name: this.#name,
        limits: target.limits,
        databases: target.databases,
        totalBytes: this.#size,
        onKey: (db, key, value, expireAt, meta) => {
          target.addKey(db, key, value, expireAt, meta.idle);
          this.#rdbKeys++;
        },
        onProgress: (bytes) => {
          this.#opts.onProgress?.(bytes, this.#size);
          return yieldToEventLoop();
        },
        progressBytes: this.#opts.yieldBytes,
      });
      if (preamble) log.notice("Reading the remaining AOF tail...");
      return { endOffset: result.endOffset, trailing: result.trailing };
    } catch (e) {
      log.warning(
        preamble
          ? `Error reading the RDB preamble of the AOF file ${this.#name}, AOF loading aborted`
          : `Error reading the RDB base file ${this.#name}, AOF loading aborted`,
      );
      const reason = e instanceof Error ? e.message : String(e);
      throw new AofLoadError("preamble", `Bad RDB part in the AOF file ${this.#name}: ${reason}`);
    }
  }

  #revertMulti(validBeforeMulti: number): number {
    this.#opts.log.warning(
      `Revert incomplete MULTI/EXEC transaction in AOF file ${this.#name}`,
    );
    this.#opts.target.discardMulti();
    return validBeforeMulti;
  }

  /** Redis's `uxeof` path. */
  async #truncatedTail(validUpTo: number): Promise<AofLoadResult> {
    const log = this.#opts.log;
    const name = this.#name;
    if (this.#opts.loadTruncated) {
      log.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
      log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
      try {
        await Deno.truncate(this.#opts.path, validUpTo);
        log.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
        return this.#result("truncated", validUpTo, validUpTo);
      } catch (e) {
        log.warning(`Error truncating the AOF file ${name}: ${systemErrorText(e)}`);
      }
    }
    const fix = this.#opts.fixTarget ?? "<filename.manifest>";
    log.warning(
      `Unexpected end of file reading the append only file ${name}. You can: ` +
        `1) Make a backup of your AOF file, then use ./redis-check-aof --fix ${fix}. ` +
        `2) Alternatively you can set the 'aof-load-truncated' configuration option to yes ` +
        `and restart the server.`,
    );
    throw new AofLoadError(
      "truncated",
      `Unexpected end of file reading the append only file ${name} ` +
        `(the last complete record ends at offset ${validUpTo})`,
      validUpTo,
    );
  }

  #badFormat(reader: AofRecordReader): never {
    const fix = this.#opts.fixTarget ?? "<filename.manifest>";
    const at = reader.recordStart;
    const record = quoteBytes(reader.bytesFrom(at));
    this.#opts.log.warning(
      `Bad file format reading the append only file ${this.#name}: make a backup of your AOF ` +
        `file, then use ./redis-check-aof --fix ${fix}`,
    );
    this.#opts.log.warning(
      `The record at offset ${at} of ${this.#name} is malformed (${reader.error}): ${record}`,
    );
    throw new AofLoadError(
      "format",
      `Bad file format reading the append only file ${this.#name} at offset ${at} ` +
        `(${reader.error}): ${record}`,
      at,
    );
  }

  #unknownCommand(command: string): never {
    const shown = byteStringToUtf8(command);
    this.#opts.log.warning(
      `Unknown command '${shown}' reading the append only file ${this.#name}`,
    );
    throw new AofLoadError(
      "unknown-command",
      `Unknown command '${shown}' reading the append only file ${this.#name}`,
    );
  }

  #result(status: AofLoadStatus, size: number, truncatedAt: number): AofLoadResult {
    return { status, size, commands: this.#commands, rdbKeys: this.#rdbKeys, truncatedAt };
  }
}
