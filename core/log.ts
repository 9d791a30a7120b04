/**
 * Logging in Redis's format, so operators' tools read Cairn's log like
 * Redis's:
 *
 * ```
 * 4242:M 21 Nov 2026 23:42:01.123 * Ready to accept connections tcp
 * ```
 *
 * pid, role (`M`), local time with milliseconds, a level mark (`.` debug,
 * `-` verbose, `*` notice, `#` warning) and the message. Lines below the
 * configured `loglevel` are dropped. Output goes to stdout, or appended to
 * `logfile` when one is set.
 *
 * @module
 */

/** Redis's log levels, from most to least verbose. */
export type LogLevel = "debug" | "verbose" | "notice" | "warning";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const LEVEL_MARK: Record<LogLevel, string> = {
  debug: ".",
  verbose: "-",
  notice: "*",
  warning: "#",
};
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Where log lines go. */
export interface LogSink {
  /** Writes one complete line (with its newline). */
  write(line: string): void;
}

const encoder = new TextEncoder();

/** A sink writing to standard output. */
export const stdoutSink: LogSink = {
  write(line) {
    Deno.stdout.writeSync(encoder.encode(line));
  },
};

/** A sink appending to a file, opened once. */
export function fileSink(path: string): LogSink {
  const file = Deno.openSync(path, { append: true, create: true });
  return {
    write(line) {
      file.writeSync(encoder.encode(line));
    },
  };
}

/** A sink collecting lines in memory (tests, embedders). */
export class MemorySink implements LogSink {
  /** Lines written so far, without their newlines. */
  readonly lines: string[] = [];
  /** Appends a line. */
  write(line: string): void {
    this.lines.push(line.replace(/\n$/, ""));
  }
}

/** The server's logger. */
export class Logger {
  /** Lines below this level are dropped. */
  level: LogLevel;
  /** Destination of the lines. */
  sink: LogSink;
  /** Role mark after the pid: `M` for a master. */
  role = "M";

  /** Creates a logger writing lines at `level` and above to `sink`. */
  constructor(level: LogLevel = "notice", sink: LogSink = stdoutSink) {
    this.level = level;
    this.sink = sink;
  }

  /** Logs at debug level (`.`). */
  debug(message: string): void {
    this.log("debug", message);
  }

  /** Logs at verbose level (`-`). */
  verbose(message: string): void {
    this.log("verbose", message);
  }

  /** Logs at notice level (`*`). */
  notice(message: string): void {
    this.log("notice", message);
  }

  /** Logs at warning level (`#`). */
  warning(message: string): void {
    this.log("warning", message);
  }

  /** Logs `message` at `level` if the configured level lets it through. */
  log(level: LogLevel, message: string): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.level]) return;
    this.sink.write(formatLogLine(Deno.pid, this.role, new Date(), LEVEL_MARK[level], message));
  }
}

/** Formats one log line the way Redis's `serverLogRaw` does. */
export function formatLogLine(
  pid: number,
  role: string,
  when: Date,
  mark: string,
  message: string,
): string {
  const dd = String(when.getDate()).padStart(2, "0");
  const time = [when.getHours(), when.getMinutes(), when.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  const ms = String(when.getMilliseconds()).padStart(3, "0");
  const stamp = `${dd} ${MONTHS[when.getMonth()]} ${when.getFullYear()} ${time}.${ms}`;
  return `${pid}:${role} ${stamp} ${mark} ${message}\n`;
}
