/**
 * The manifest of a multi-part AOF (Redis 7.0, `aof.c`): which files of
 * `<dir>/<appenddirname>/` make up the AOF, their names, and writing it
 * durably.
 *
 * Layout and names (`appendfilename` is the stem):
 *
 * ```
 * appendonly.aof.manifest        the manifest
 * appendonly.aof.<n>.base.rdb    the base: an RDB image (aof-use-rdb-preamble yes)
 * appendonly.aof.<n>.base.aof    ... or RESP commands (no)
 * appendonly.aof.<n>.incr.aof    the changes after the base, in seq order
 * temp-appendonly.aof.manifest   a manifest being written
 * temp-appendonly.aof.incr       changes while AOF is switched on at runtime
 * ```
 *
 * The manifest has one line per file, `file <name> seq <n> type <b|h|i>`:
 * the base first, then history files (old parts waiting to be deleted),
 * then incr files by increasing seq. A name that needs it is written
 * double-quoted with C escapes (`sdscatrepr`). Base and incr sequence
 * numbers are counted separately, each the highest listed plus one.
 *
 * Parsing follows `aofLoadManifestFromFile` rule by rule, including its
 * quirks (lines are read 1024 bytes at a time and a line without its
 * newline is "too long"; unknown keys are ignored; `seq` is read like
 * `atoll`), so a manifest Redis refuses is refused here with the same
 * message. A write replaces the manifest atomically: temporary file,
 * fsync, rename, fsync of the directory (`writeAofManifestFile`).
 *
 * @module
 */

import { byteStringToUtf8, decodeLatin1, latin1Bytes } from "../../core/bytes.ts";
import { quoteArg, splitArgs } from "../../core/split_args.ts";
import { joinPath, writeAllSync } from "../io/files.ts";
import { fsyncDirSync, systemErrorText } from "./file.ts";

/** `b` base, `h` history (to be deleted), `i` incr. */
export type AofFileType = "b" | "h" | "i";

/** One line of a manifest. */
export interface AofFileInfo {
  /** File name inside the AOF directory (a byte string). */
  readonly name: string;
  /** Sequence number (never 0). */
  readonly seq: number;
  /** What the file is. */
  readonly type: AofFileType;
}

/** Redis's MANIFEST_MAX_LINE. */
const MAX_LINE = 1024;

/** A manifest Redis would refuse: its message and where. */
export class AofManifestError extends Error {
  /** 1-based line number, or 0 when the error is not about a line. */
  readonly line: number;
  /** The offending line (trimmed), or null. */
  readonly text: string | null;

  /** Creates the error for `message` at `line`. */
  constructor(message: string, line = 0, text: string | null = null) {
    super(message);
    this.name = "AofManifestError";
    this.line = line;
    this.text = text;
  }

  /** Redis's log lines for this error, in order. */
  logLines(): string[] {
    const lines = ["*** FATAL AOF MANIFEST FILE ERROR ***"];
    if (this.text !== null) {
      lines.push(`Reading the manifest file, at line ${this.line}`, `>>> '${this.text}'`);
    }
    lines.push(this.message);
    return lines;
  }
}

/** The parts of a multi-part AOF. Mutate a {@link clone}, then swap it in once persisted. */
export class AofManifest {
  /** The base file, if any. */
  base: AofFileInfo | null = null;
  /** Files replaced by a rewrite, waiting to be deleted (newest first). */
  history: AofFileInfo[] = [];
  /** Incr files, by increasing seq; the last one is written to. */
  incrs: AofFileInfo[] = [];
  /** Highest base seq used (`curr_base_file_seq`). */
  baseSeq = 0;
  /** Highest incr seq used (`curr_incr_file_seq`). */
  incrSeq = 0;
  /** Changed since it was last written. */
  dirty = false;

  /** A deep copy (file infos are immutable, so copying the lists is enough). */
  clone(): AofManifest {
    const copy = new AofManifest();
    copy.base = this.base;
    copy.history = [...this.history];
    copy.incrs = [...this.incrs];
    copy.baseSeq = this.baseSeq;
    copy.incrSeq = this.incrSeq;
    copy.dirty = this.dirty;
    return copy;
  }

  /** True when neither a base nor an incr file is listed (nothing to load). */
  get hasNoData(): boolean {
    return this.base === null && this.incrs.length === 0;
  }

  /** The base and incr files, in load order. */
  get loadOrder(): AofFileInfo[] {
    return this.base === null ? [...this.incrs] : [this.base, ...this.incrs];
  }

  /** The incr file written to, or null. */
  get lastIncr(): AofFileInfo | null {
    return this.incrs.at(-1) ?? null;
  }

  /**
   * Names a new base (`<stem>.<n>.base.rdb|aof`) and makes the current
   * base history (`getNewBaseFileNameAndMarkPreAsHistory`).
   */
  newBase(stem: string, format: "rdb" | "resp"): AofFileInfo {
    if (this.base !== null) this.history.unshift({ ...this.base, type: "h" });
    const seq = ++this.baseSeq;
    this.base = { name: `${stem}.${seq}.base.${format === "rdb" ? "rdb" : "aof"}`, seq, type: "b" };
    this.dirty = true;
    return this.base;
  }

  /** Lists the old-style AOF `name` as base 1 (the upgrade from a single file). */
  adoptClassicBase(name: string): void {
    this.base = { name, seq: 1, type: "b" };
    this.baseSeq = 1;
    this.dirty = true;
  }

  /** Names and lists a new incr file (`<stem>.<n>.incr.aof`). */
  newIncr(stem: string): AofFileInfo {
    const seq = ++this.incrSeq;
    const info: AofFileInfo = { name: `${stem}.${seq}.incr.aof`, seq, type: "i" };
    this.incrs.push(info);
    this.dirty = true;
    return info;
  }

  /**
   * After a rewrite: every incr file but the one being written (the last,
   * when `keepLast`) becomes history (`markRewrittenIncrAofAsHistory`).
   */
  retireIncrs(keepLast: boolean): void {
    const kept = keepLast && this.incrs.length > 0 ? [this.incrs[this.incrs.length - 1]] : [];
    const retired = this.incrs.slice(0, this.incrs.length - kept.length);
    if (retired.length === 0) return;
    // Redis walks from the tail and prepends, so history keeps seq order.
    this.history = [...retired.map((i) => ({ ...i, type: "h" as const })), ...this.history];
    this.incrs = kept;
    this.dirty = true;
  }

  /** Forgets the history files (after deleting them); returns them. */
  takeHistory(): AofFileInfo[] {
    const history = this.history;
    if (history.length === 0) return history;
    this.history = [];
    this.dirty = true;
    return history;
  }

  /** The manifest text (`getAofManifestAsString`). */
  toString(): string {
    let out = "";
    if (this.base !== null) out += formatLine(this.base);
    for (const info of this.history) out += formatLine(info);
    for (const info of this.incrs) out += formatLine(info);
    return out;
  }
}

/** One manifest line, with the name quoted when it needs it. */
export function formatLine(info: AofFileInfo): string {
  const name = needsQuoting(info.name) ? quoteArg(info.name) : info.name;
  return `file ${name} seq ${info.seq} type ${info.type}\n`;
}

/** Redis's `sdsneedsrepr`: quotes, backslashes, blanks, and anything not printable ASCII. */
function needsQuoting(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return true;
  }
  return name.length === 0;
}

/**
 * Parses manifest bytes (a byte string) as Redis 7.0 does; throws
 * {@link AofManifestError} with Redis's message on anything it refuses.
 */
export function parseManifest(text: string): AofManifest {
  const manifest = new AofManifest();
  let lineNumber = 0;
  let maxIncrSeq = 0;
  for (let pos = 0; pos < text.length;) {
    // fgets with a 1025-byte buffer: up to and including '\n', at most 1024 bytes.
    const newline = text.indexOf("\n", pos);
    const end = newline === -1 || newline - pos + 1 > MAX_LINE
      ? Math.min(text.length, pos + MAX_LINE)
      : newline + 1;
    const chunk = text.slice(pos, end);
    pos = end;
    lineNumber++;
    if (chunk.startsWith("#")) continue;
    if (!chunk.includes("\n")) {
      throw new AofManifestError("The AOF manifest file contains too long line", lineNumber, null);
    }
    const line = chunk.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    const fail = (message: string): never => {
      throw new AofManifestError(message, lineNumber, line);
    };
    if (line.length === 0) fail("Invalid AOF manifest file format");
    const info = parseLine(line, fail);
    if (info.type === "b") {
      if (manifest.base !== null) fail("Found duplicate base file information");
      manifest.base = info;
      manifest.baseSeq = info.seq;
    } else if (info.type === "h") {
      manifest.history.push(info);
    } else if (info.type === "i") {
      if (info.seq <= maxIncrSeq) fail("Found a non-monotonic sequence number");
      manifest.incrs.push(info);
      manifest.incrSeq = maxIncrSeq = info.seq;
    } else {
      fail("Unknown AOF file type");
    }
  }
  if (lineNumber === 0) throw new AofManifestError("Found an empty AOF manifest");
  return manifest;
}

function parseLine(line: string, fail: (message: string) => never): AofFileInfo {
  const argv = splitArgs(line);
  // At least 6 tokens, in pairs: more keys may come in later versions.
  if (argv === null || argv.length < 6 || argv.length % 2 !== 0) {
    fail("Invalid AOF manifest file format");
  }
  let name: string | null = null;
  let seq = 0;
  let type = "";
  for (let i = 0; i < argv!.length; i += 2) {
    const key = argv![i].toLowerCase();
    const value = argv![i + 1];
    if (key === "file") {
      name = value;
      if (value.includes("/") || value.includes("\\")) {
        fail("File can't be a path, just a filename");
      }
    } else if (key === "seq") {
      seq = atoll(value);
    } else if (key === "type") {
      type = value.charAt(0);
    }
  }
  if (name === null || seq === 0 || type === "") fail("Invalid AOF manifest file format");
  return { name: name!, seq, type: type as AofFileType };
}

/** C's `atoll`: leading blanks, a sign, digits; 0 when there are none. */
function atoll(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m === null ? 0 : Number.parseInt(m[1], 10);
}

/** Where a manifest lives and how its files are named. */
export interface ManifestLocation {
  /** The AOF directory (`dir/appenddirname`), a file system path. */
  readonly dir: string;
  /** `appendfilename` (a byte string): the stem of every name. */
  readonly stem: string;
}

/** `<stem>.manifest`. */
export function manifestName(stem: string): string {
  return `${stem}.manifest`;
}

/** `temp-<stem>.manifest`. */
export function tempManifestName(stem: string): string {
  return `temp-${stem}.manifest`;
}

/** `temp-<stem>.incr`: the incr file of an AOF being switched on at runtime. */
export function tempIncrName(stem: string): string {
  return `temp-${stem}.incr`;
}

/** The path of file `name` (a byte string) in the AOF directory. */
export function partPath(location: ManifestLocation, name: string): string {
  return joinPath(location.dir, byteStringToUtf8(name));
}

/**
 * Reads the manifest of `location`: null when the directory or the
 * manifest does not exist (an upgrade or a first start), else the parsed
 * manifest. Throws {@link AofManifestError} when Redis would refuse it,
 * or an Error when it cannot be read.
 */
export function readManifest(location: ManifestLocation): AofManifest | null {
  const path = partPath(location, manifestName(location.stem));
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new Error(
      `Fatal error: can't open the AOF manifest file ${path} for reading: ${systemErrorText(e)}`,
    );
  }
  return parseManifest(decodeLatin1(bytes));
}

/** Points inside a manifest write where tests can stop the process. */
export interface ManifestWriteHooks {
  /** The temporary manifest is written and fsynced; the rename comes next. */
  beforeRename?(): void;
  /** The rename is done; the directory fsync comes next. */
  afterRename?(): void;
}

/**
 * Writes `manifest` durably (`writeAofManifestFile`): the whole text to
 * `temp-<stem>.manifest`, fsync, rename over `<stem>.manifest`, fsync of the
 * directory. Synchronous, as in Redis: callers change the manifest and the
 * files it names in one step. Clears `dirty`. Throws an Error whose message
 * is Redis's log line.
 */
export function writeManifest(
  location: ManifestLocation,
  manifest: AofManifest,
  hooks: ManifestWriteHooks = {},
): void {
  const tempName = tempManifestName(location.stem);
  const tempPath = partPath(location, tempName);
  const name = manifestName(location.stem);
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(tempPath, { write: true, create: true, truncate: true });
  } catch (e) {
    throw new Error(`Can't open the AOF manifest file ${tempName}: ${systemErrorText(e)}`);
  }
  try {
    try {
      writeAllSync(file, latin1Bytes(manifest.toString()));
    } catch (e) {
      throw new Error(
        `Error trying to write the temporary AOF manifest file ${tempName}: ${systemErrorText(e)}`,
      );
    }
    try {
      file.syncSync();
    } catch (e) {
      throw new Error(`Fail to fsync the temp AOF file ${tempName}: ${systemErrorText(e)}.`);
    }
  } finally {
    file.close();
  }
  hooks.beforeRename?.();
  const path = partPath(location, name);
  try {
    Deno.renameSync(tempPath, path);
  } catch (e) {
    throw new Error(
      `Error trying to rename the temporary AOF manifest file ${tempName} into ${name}: ${
        systemErrorText(e)
      }`,
    );
  }
  hooks.afterRename?.();
  try {
    fsyncDirSync(location.dir);
  } catch (e) {
    throw new Error(`Fail to fsync AOF directory ${path}: ${systemErrorText(e)}.`);
  }
  manifest.dirty = false;
}

/** Writes `manifest` only when it changed (`persistAofManifest`). */
export function persistManifest(
  location: ManifestLocation,
  manifest: AofManifest,
  hooks?: ManifestWriteHooks,
): void {
  if (manifest.dirty) writeManifest(location, manifest, hooks);
}
