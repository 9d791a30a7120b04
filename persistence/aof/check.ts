/**
 * `cairn check-aof`: the checks, output lines and exit codes of Redis 7.0's
 * redis-check-aof (`src/redis-check-aof.c`).
 *
 * ```
 * cairn check-aof [--fix|--truncate-to-timestamp <ts>] <file.manifest|file.aof>
 * ```
 *
 * The input is a multi-part manifest (a non-comment line starts with
 * `file`), an AOF with an RDB preamble (at least 8 bytes starting with
 * `REDIS`: the RDB part is checked with check-rdb, then the RESP tail), or
 * plain RESP. Validation is stricter than loading: every bulk must end with
 * CRLF, MULTI cannot nest, EXEC needs a MULTI, and the file cannot end
 * inside a MULTI. The report line is
 * `AOF analyzed: filename=F, size=S, ok_up_to=P, ok_up_to_line=L, diff=D`,
 * where P is the start of the last complete record outside a transaction.
 * With `--fix` the file is cut at P after a `Continue? [y/N]:` prompt;
 * `--truncate-to-timestamp` cuts it at the first `#TS:` annotation later
 * than the time. Only the last file of a manifest may be cut.
 *
 * The file is read through a small buffer, never whole.
 *
 * @module
 */

import { checkRdb } from "../rdb/check.ts";
import { readRdbFile } from "../rdb/reader.ts";
import type { ValueBuilders } from "../rdb/builders.ts";
import { defaultLimits } from "../../core/values/limits.ts";
import { dirName, joinPath } from "../io/files.ts";
import { systemErrorText } from "./file.ts";

/** What {@link checkAof} needs from the outside world. */
export interface CheckAofIo {
  /** Prints text (redis-check-aof's `printf`; lines end with "\n"). */
  print(text: string): void;
  /** Reads the answer to the `--fix` prompt (one line), or null at end of input. */
  readAnswer(): Promise<string | null>;
}

/** The command line, parsed. */
export interface CheckAofArgs {
  /** The manifest or AOF file. */
  path: string;
  /** Cut the file after the last valid record. */
  fix: boolean;
  /** Cut at the first `#TS:` annotation later than this (Unix seconds); 0 = no. */
  truncateToTimestamp: number;
}

/** Ends the check with an exit code (redis-check-aof calls exit()). */
class CheckExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const USAGE = "Usage: cairn check-aof [--fix|--truncate-to-timestamp $timestamp] " +
  "<file.manifest|file.aof>\n";

/** Parses redis-check-aof's arguments; returns the usage error text on failure. */
export function parseCheckAofArgs(args: readonly string[]): CheckAofArgs | string {
  if (args.length === 1) return { path: args[0], fix: false, truncateToTimestamp: 0 };
  if (args.length === 2 && args[0] === "--fix") {
    return { path: args[1], fix: true, truncateToTimestamp: 0 };
  }
  if (args.length === 3 && args[0] === "--truncate-to-timestamp") {
    const m = /^\s*([+-]?\d+)$/.exec(args[1]);
    if (m === null) return "Invalid timestamp, aborting...\n";
    return { path: args[2], fix: false, truncateToTimestamp: Number(m[1]) };
  }
  return USAGE;
}

/** Runs the check; resolves with the exit code (0 valid or fixed, 1 otherwise). */
export async function checkAof(args: CheckAofArgs, io: CheckAofIo): Promise<number> {
  try {
    await new Checker(args, io).run();
    return 0;
  } catch (e) {
    if (e instanceof CheckExit) return e.code;
    throw e;
  }
}

/** Outcomes of one file (AOF_CHECK_*). */
type FileOutcome = "ok" | "empty" | "truncated" | "timestamp-truncated";

class Checker {
  readonly #args: CheckAofArgs;
  readonly #io: CheckAofIo;

  constructor(args: CheckAofArgs, io: CheckAofIo) {
    this.#args = args;
    this.#io = io;
  }

  async run(): Promise<void> {
    const path = this.#args.path;
    if (this.#isManifest(path)) return await this.#checkMultiPart(path);
    this.#io.print("Start checking Old-Style AOF\n");
    const outcome = await this.#checkFile(path, path, true, this.#isRdb(path));
    this.#report(outcome, "AOF", path);
  }

  #report(outcome: FileOutcome, what: string, name: string): void {
    const ts = this.#args.truncateToTimestamp;
    const lines: Record<FileOutcome, string> = {
      ok: `${what} ${name} is valid`,
      empty: `${what} ${name} is empty`,
      "timestamp-truncated": `Successfully truncated AOF ${name} to timestamp ${ts}`,
      truncated: `Successfully truncated AOF ${name}`,
    };
    this.#io.print(lines[outcome] + "\n");
  }

  async #checkMultiPart(manifestPath: string): Promise<void> {
    this.#io.print("Start checking Multi Part AOF\n");
    const dir = dirName(manifestPath);
    const { base, incrs } = this.#readManifest(manifestPath);
    const total = (base !== null ? 1 : 0) + incrs.length;
    let index = 0;
    if (base !== null) {
      const path = joinPath(dir, base);
      const rdb = this.#isRdb(path);
      this.#io.print(`Start to check BASE AOF (${rdb ? "RDB" : "RESP"} format).\n`);
      const outcome = await this.#checkFile(base, path, ++index === total, rdb);
      this.#report(outcome, "BASE AOF", base);
    }
    if (incrs.length > 0) {
      this.#io.print("Start to check INCR files.\n");
      for (const incr of incrs) {
        const outcome = await this.#checkFile(incr, joinPath(dir, incr), ++index === total, false);
        this.#report(outcome, "INCR AOF", incr);
      }
    }
    this.#io.print("All AOF files and manifest are valid\n");
  }

  /**
   * The base and incr files a manifest lists, in order (`file <name> seq <n>
   * type <b|h|i>` lines; history files are skipped).
   */
  #readManifest(path: string): { base: string | null; incrs: string[] } {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (e) {
      this.#exit(`Cannot open file ${path}: ${systemErrorText(e)}\n`);
    }
    let base: string | null = null;
    const incrs: string[] = [];
    for (const raw of text.split("\n")) {
      const line = raw.replace(/\r$/, "").trim();
      if (line === "" || line.startsWith("#")) continue;
      const words = line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
      const fields = new Map<string, string>();
      for (let i = 0; i + 1 < words.length; i += 2) {
        fields.set(words[i], words[i + 1].replace(/^"(.*)"$/, "$1"));
      }
      const name = fields.get("file");
      const type = fields.get("type");
      if (name === undefined || type === undefined || words.length % 2 !== 0) {
        this.#exit("Invalid AOF manifest file format\n");
      }
      if (type === "b") base = name;
      else if (type === "i") incrs.push(name);
      else if (type !== "h") this.#exit("Invalid AOF manifest file format\n");
    }
    return { base, incrs };
  }

  /**
   * A manifest's first line that is not a comment starts with `file`.
   * (redis-check-aof looks at every line, so an AOF holding a line that
   * starts with "file" is taken for a manifest; only the first one counts here.)
   */
  #isManifest(path: string): boolean {
    const text = this.#readHead(path, 64 * 1024);
    if (text === null) return false;
    for (const line of text.split("\n")) {
      if (line.startsWith("#")) continue;
      return line.startsWith("file");
    }
    return false;
  }

  #isRdb(path: string): boolean {
    const head = this.#readHead(path, 8);
    return head !== null && head.length >= 8 && head.startsWith("REDIS");
  }

  /** Up to `max` bytes of `path` as a byte string; exits when it cannot be read. */
  #readHead(path: string, max: number): string | null {
    let bytes: Uint8Array;
    try {
      bytes = this.#readPrefix(path, max);
    } catch (e) {
      this.#exit(`Cannot open file ${path}: ${systemErrorText(e)}\n`);
    }
    if (bytes.length === 0) return null;
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }

  #readPrefix(path: string, max: number): Uint8Array {
    const file = Deno.openSync(path, { read: true });
    try {
      const buf = new Uint8Array(max);
      let got = 0;
      while (got < max) {
        const n = file.readSync(buf.subarray(got));
        if (n === null) break;
        got += n;
      }
      return buf.subarray(0, got);
    } finally {
      file.close();
    }
  }

  /** Redis's `checkSingleAof`. */
  async #checkFile(
    name: string,
    path: string,
    lastFile: boolean,
    preamble: boolean,
  ): Promise<FileOutcome> {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { read: true, write: true });
    } catch (e) {
      this.#exit(`Cannot open file ${path}: ${systemErrorText(e)}, aborting...\n`);
    }
    try {
      const size = file.statSync().size;
      if (size === 0) return "empty";
      let start = 0;
      if (preamble) start = await this.#checkPreamble(name, path);
      const scan = new RespScan(file, start, { name, path }, {
        toTimestamp: this.#args.truncateToTimestamp,
        lastFile,
        io: this.#io,
      });
      const result = scan.run();
      if (result === "timestamp-truncated") return result;
      return await this.#conclude(file, name, size, scan, lastFile);
    } finally {
      file.close();
    }
  }

  async #checkPreamble(name: string, path: string): Promise<number> {
    const { ok, report } = await checkRdb(path);
    this.#io.print(report.replace(`Checking RDB file ${path}`, `Checking RDB file ${name}`));
    if (!ok) this.#exit("RDB preamble of AOF file is not sane, aborting.\n");
    this.#io.print("RDB preamble is OK, proceeding with AOF tail...\n");
    const result = await readRdbFile(path, {
      limits: defaultLimits(),
      builders: DISCARD,
      onKey: () => {},
    });
    return result.endOffset;
  }

  async #conclude(
    file: Deno.FsFile,
    name: string,
    size: number,
    scan: RespScan,
    lastFile: boolean,
  ): Promise<FileOutcome> {
    const io = this.#io;
    const pos = scan.okUpTo;
    const diff = size - pos;
    const ts = this.#args.truncateToTimestamp;
    if (diff === 0 && ts !== 0) {
      io.print(`Truncate nothing in AOF ${name} to timestamp ${ts}\n`);
      return "ok";
    }
    io.print(
      `AOF analyzed: filename=${name}, size=${size}, ok_up_to=${pos}, ` +
        `ok_up_to_line=${scan.line}, diff=${diff}\n`,
    );
    if (diff <= 0) return "ok";
    if (!this.#args.fix) {
      this.#exit(`AOF ${name} is not valid. Use the --fix option to try fixing it.\n`);
    }
    if (!lastFile) this.#exit(`Failed to truncate AOF ${name} because it is not the last file\n`);
    io.print(
      `This will shrink the AOF ${name} from ${size} bytes, with ${diff} bytes, to ${pos} bytes\n`,
    );
    io.print("Continue? [y/N]: ");
    const answer = await io.readAnswer();
    if (answer === null || !/^[yY]/.test(answer)) this.#exit("Aborting...\n");
    try {
      file.truncateSync(pos);
    } catch {
      this.#exit(`Failed to truncate AOF ${name}\n`);
    }
    return "truncated";
  }

  #exit(text: string): never {
    this.#io.print(text);
    throw new CheckExit(1);
  }
}

// Values are not kept while looking for the end of an RDB preamble.
const DISCARD: ValueBuilders = {
  list: () => "",
  set: () => "",
  hash: () => "",
  zset: () => "",
};

const CR = 13;
const LF = 10;
/** fgets buffer sizes of redis-check-aof: numbers and annotations. */
const NUMBER_LINE = 128;
const ANNOTATION_LINE = 1024;

/**
 * The RESP walk of `checkSingleAof`, over a file read through a buffer with
 * C stdio's semantics (fgets, fread, ftello). Error positions are Redis's
 * `epos`: where the last number line or payload read began.
 */
class RespScan {
  /** Start of the last complete record outside a transaction (`pos`). */
  okUpTo: number;
  /** Lines consumed, from 1 (`line`). */
  line = 1;
  #error = "";
  #epos = 0;
  #multi = 0;
  readonly #in: BufferedFile;
  readonly #name: string;
  readonly #path: string;
  readonly #toTimestamp: number;
  readonly #lastFile: boolean;
  readonly #io: CheckAofIo;
  readonly #file: Deno.FsFile;

  constructor(
    file: Deno.FsFile,
    start: number,
    where: { name: string; path: string },
    options: { toTimestamp: number; lastFile: boolean; io: CheckAofIo },
  ) {
    this.#file = file;
    this.#in = new BufferedFile(file, start);
    this.okUpTo = start;
    this.#name = where.name;
    this.#path = where.path;
    this.#toTimestamp = options.toTimestamp;
    this.#lastFile = options.lastFile;
    this.#io = options.io;
  }

  run(): "scanned" | "timestamp-truncated" {
    const input = this.#in;
    while (true) {
      if (this.#multi === 0) this.okUpTo = input.tell();
      const first = input.peek();
      if (first === -1) break;
      if (first === 0x23) {
        if (!this.#annotation()) return "timestamp-truncated";
      } else if (first === 0x2a) {
        if (!this.#record()) break;
      } else {
        this.#io.print(`AOF ${this.#name} format error\n`);
        break;
      }
    }
    if (input.eof && this.#multi !== 0 && this.#error === "") {
      this.#fail("Reached EOF before reading EXEC for MULTI");
    }
    if (this.#error !== "") {
      this.#io.print(`0x${this.#epos.toString(16).padStart(16, " ")}: ${this.#error}\n`);
    }
    return "scanned";
  }

  /** `processAnnotations`: false when the file was cut here. */
  #annotation(): boolean {
    const at = this.#epos = this.#in.tell();
    const line = this.#in.gets(ANNOTATION_LINE);
    if (line === null) {
      this.#exit(`Failed to read annotations from AOF ${this.#path}, aborting...\n`);
    }
    const ts = this.#toTimestamp;
    if (ts === 0 || !line.startsWith("#TS:")) return true;
    const m = /^#TS:\s*([+-]?\d+)\r/.exec(line);
    if (m === null) this.#exit("Invalid timestamp annotation\n");
    if (Number(m[1]) <= ts) return true;
    if (at === 0) this.#exit(`AOF ${this.#path} has nothing before timestamp ${ts}, aborting...\n`);
    if (!this.#lastFile) {
      this.#exit(
        `Failed to truncate AOF ${this.#path} to timestamp ${ts} to offset ${at} because it is ` +
          `not the last file.\nIf you insist, please delete all files after this file according ` +
          `to the manifest file and delete the corresponding records in manifest file manually. ` +
          `Then re-run redis-check-aof.\n`,
      );
    }
    try {
      this.#file.truncateSync(at);
    } catch {
      this.#exit(`Failed to truncate AOF ${this.#path} to timestamp ${ts}\n`);
    }
    return false;
  }

  /** `processRESP`. */
  #record(): boolean {
    const argc = this.#number("*");
    if (argc === null) return false;
    for (let i = 0; i < argc; i++) {
      const arg = this.#string(i === 0);
      if (arg === null) return false;
      if (i !== 0) continue;
      const name = arg.toLowerCase();
      if (name === "multi" && this.#multi++ !== 0) {
        return this.#fail(`Unexpected MULTI in AOF ${this.#path}`);
      }
      if (name === "exec" && --this.#multi !== 0) {
        return this.#fail(`Unexpected EXEC in AOF ${this.#path}`);
      }
    }
    return true;
  }

  /** `readLong`: a `<prefix><number>\r\n` line. */
  #number(prefix: string): number | null {
    this.#epos = this.#in.tell();
    const line = this.#in.gets(NUMBER_LINE);
    if (line === null) return null;
    if (line[0] !== prefix) {
      this.#fail(`Expected prefix '${prefix}', got: '${line[0]}'`);
      return null;
    }
    // strtol: blanks, a sign, digits; without digits nothing is consumed.
    const m = /^\s*[+-]?\d+/.exec(line.slice(1));
    const consumed = m === null ? "" : m[0];
    if (!this.#newline(line.slice(1 + consumed.length))) return null;
    return consumed === "" ? 0 : Number.parseInt(consumed, 10);
  }

  /** `readString`: `$<len>\r\n<len bytes>\r\n`; returns the payload when `keep`, else "". */
  #string(keep: boolean): string | null {
    const len = this.#number("$");
    if (len === null) return null;
    if (len < 0 || len > Number.MAX_SAFE_INTEGER - 2) {
      this.#fail(`Expected to read string of ${len} bytes, which is not in the suitable range`);
      return null;
    }
    this.#epos = this.#in.tell();
    // Only the command name is looked at: other payloads are skipped, not copied.
    const { got, head, tail } = this.#in.read(len + 2, keep ? Math.min(len, 16) : 0);
    if (got !== len + 2) {
      this.#fail(`Expected to read ${len + 2} bytes, got ${got} bytes`);
      return null;
    }
    if (!this.#newline(tail)) return null;
    return head;
  }

  /** `consumeNewline`. */
  #newline(s: string): boolean {
    if (s.charCodeAt(0) !== CR || s.charCodeAt(1) !== LF) {
      const hex = (i: number) =>
        i < s.length ? s.charCodeAt(i).toString(16).padStart(2, "0") : "00";
      this.#fail(`Expected \\r\\n, got: ${hex(0)}${hex(1)}`);
      return false;
    }
    this.line++;
    return true;
  }

  #fail(message: string): false {
    this.#error = message;
    return false;
  }

  #exit(text: string): never {
    this.#io.print(text);
    throw new CheckExit(1);
  }
}

/** A file read through a buffer, with the stdio calls redis-check-aof uses. */
class BufferedFile {
  readonly #file: Deno.FsFile;
  readonly #buf = new Uint8Array(64 * 1024);
  #pos = 0;
  #len = 0;
  /** Offset of `#buf[0]`. */
  #base: number;
  /** A read hit the end of the file (`feof`). */
  eof = false;

  constructor(file: Deno.FsFile, start: number) {
    this.#file = file;
    file.seekSync(start, Deno.SeekMode.Start);
    this.#base = start;
  }

  /** `ftello`. */
  tell(): number {
    return this.#base + this.#pos;
  }

  /** The next byte, or -1 at the end. */
  peek(): number {
    if (this.#pos >= this.#len && !this.#fill()) return -1;
    return this.#buf[this.#pos];
  }

  /** `fgets(buf, size)`: up to size-1 bytes, through the first LF; null at the end. */
  gets(size: number): string | null {
    let out = "";
    while (out.length < size - 1) {
      if (this.#pos >= this.#len && !this.#fill()) break;
      const b = this.#buf[this.#pos++];
      out += String.fromCharCode(b);
      if (b === LF) break;
    }
    return out.length === 0 ? null : out;
  }

  /**
   * `fread` of `n` bytes: how many there were (fewer at the end), the first
   * `keepHead` of them and the last two, as byte strings.
   */
  read(n: number, keepHead: number): { got: number; head: string; tail: string } {
    let got = 0;
    let head = "";
    let tail = "";
    while (got < n) {
      if (this.#pos >= this.#len && !this.#fill()) break;
      const take = Math.min(n - got, this.#len - this.#pos);
      for (let i = 0; i < take; i++) {
        const index = got + i;
        const ch = this.#buf[this.#pos + i];
        if (index < keepHead) head += String.fromCharCode(ch);
        if (index >= n - 2) tail += String.fromCharCode(ch);
      }
      this.#pos += take;
      got += take;
    }
    return { got, head, tail };
  }

  #fill(): boolean {
    this.#base += this.#len;
    this.#pos = 0;
    this.#len = 0;
    const n = this.#file.readSync(this.#buf);
    if (n === null || n === 0) {
      this.eof = true;
      return false;
    }
    this.#len = n;
    return true;
  }
}
