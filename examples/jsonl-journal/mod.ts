/**
 * `jsonl-journal`: an example third-party plugin, written against the
 * public API in the repository's `mod.ts` only. It appends every change to
 * the dataset to a JSON Lines file, one line per execution unit:
 *
 * ```json
 * {"seq":12,"time":1700000000123,"atomic":true,"ops":[{"db":0,"argv":["U0VU","aw==","dg=="]}]}
 * ```
 *
 * Keys and values are byte strings, which JSON cannot hold as they are, so
 * each argument is base64 (a byte string's characters are its bytes, which
 * is exactly what `btoa` encodes). A `{"replaced": reason}` line marks a
 * dataset replaced outside of commands (DEBUG RELOAD, DEBUG LOADAOF).
 *
 * It shows each hook of the contract (docs/plugins.md):
 * - config keys (`journal-file`, `journal-enabled`, mutable at runtime);
 * - the `write` event, buffered and written once per event-loop turn;
 * - a durable sink: replies to writes go out only after their line is
 *   written (not fsynced: this is an audit trail, not a database);
 * - a write guard refusing writes while the journal cannot be written;
 * - INFO fields in its own section (`INFO journal`), a command
 *   (`JOURNAL.STATS`) and a DEBUG subcommand (`DEBUG JOURNAL-ROTATE`);
 * - `shutdown` and `close`.
 *
 * It takes no part in recovery: the journal is not read back.
 *
 * @module
 */

import {
  boolKey,
  byteStringToUtf8,
  type CairnPlugin,
  definePlugin,
  type PluginContext,
  stringKey,
  type WriteEvent,
} from "../../mod.ts";

/** A journal line for one execution unit (the argv as base64 strings). */
export interface JournalEntry {
  /** The unit's sequence number. */
  seq: number;
  /** Unix ms when it ran. */
  time: number;
  /** Whether its ops must apply together. */
  atomic: boolean;
  /** The replayable commands. */
  ops: { db: number; argv: string[] }[];
}

/** Turns one write event into its journal line (without the newline). */
export function journalLine(event: WriteEvent): string {
  const entry: JournalEntry = {
    seq: event.seq,
    time: event.time,
    atomic: event.atomic,
    ops: event.ops.map((op) => ({ db: op.db, argv: op.argv.map((a) => btoa(a)) })),
  };
  return JSON.stringify(entry);
}

/** Decodes a journal argument back into its byte string. */
export function decodeArg(base64: string): string {
  return atob(base64);
}

/** The journal of one server. */
class Journal {
  lines = 0;
  bytes = 0;
  error: string | null = null;
  #enabled = false;
  #file: Deno.FsFile | null = null;
  #pending: string[] = [];
  #pendingSeq = 0;
  #writtenSeq = 0;
  #waiters: (() => void)[] = [];
  #scheduled = false;
  #unsubscribe: (() => void) | null = null;
  readonly #ctx: PluginContext;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
  }

  path(): string {
    const { config } = this.#ctx;
    const name = byteStringToUtf8(config.get<string>("journal-file"));
    return name.startsWith("/") ? name : `${byteStringToUtf8(config.get<string>("dir"))}/${name}`;
  }

  open(): void {
    this.#file = Deno.openSync(this.path(), { append: true, create: true });
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Starts or stops following the `write` event. */
  setEnabled(on: boolean): void {
    if (on === this.#enabled) return;
    this.#enabled = on;
    if (on) {
      // Units that ran while disabled are not journaled: nothing to wait for.
      this.#writtenSeq = this.#pendingSeq = this.#ctx.core.seq;
      this.#unsubscribe = this.#ctx.bus.on("write", this.onWrite);
    } else {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
      this.flush();
    }
  }

  /** The `write` listener: cheap, synchronous, one string per unit. */
  readonly onWrite = (event: WriteEvent): void => {
    this.#pending.push(journalLine(event) + "\n");
    this.#pendingSeq = event.seq;
    this.#schedule();
  };

  note(line: object): void {
    this.#pending.push(JSON.stringify(line) + "\n");
    this.#schedule();
  }

  /** The durable sink: replies wait until their unit's line is written. */
  whenDurable(seq: number): Promise<void> | undefined {
    if (!this.#enabled || seq <= this.#writtenSeq || this.error !== null) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After every connection of this turn ran its commands: one write for all.
    queueMicrotask(() => this.flush());
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#file === null || this.#pending.length === 0) return this.#release();
    const text = this.#pending.join("");
    try {
      const bytes = new TextEncoder().encode(text); // JSON lines are ASCII
      let off = 0;
      while (off < bytes.length) off += this.#file.writeSync(bytes.subarray(off));
      this.lines += this.#pending.length;
      this.bytes += bytes.length;
      this.#pending = [];
      this.error = null;
    } catch (e) {
      // Keep the lines and refuse new writes until a retry (on the cron) works.
      this.error = e instanceof Error ? e.message : String(e);
      this.#ctx.log.warning(`Can't write the journal ${this.path()}: ${this.error}`);
    }
    this.#release();
  }

  #release(): void {
    if (this.error === null && this.#pending.length === 0) this.#writtenSeq = this.#pendingSeq;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Starts a new file; the old one is renamed `<file>.<unix ms>`. */
  rotate(): string {
    this.flush();
    this.close();
    const rotated = `${this.path()}.${Date.now()}`;
    Deno.renameSync(this.path(), rotated);
    this.open();
    return rotated;
  }

  close(): void {
    this.#file?.close();
    this.#file = null;
  }
}

/** Creates the plugin. */
export function jsonlJournalPlugin(): CairnPlugin {
  return definePlugin({
    name: "jsonl-journal",
    config: [
      stringKey("journal-file", "journal.jsonl", false, {
        doc: "jsonl-journal: the JSON Lines file, relative to dir.",
      }),
      boolKey("journal-enabled", true, true, {
        doc: "jsonl-journal: append every write to the journal.",
      }),
    ],
    setup(ctx) {
      const journal = new Journal(ctx);

      ctx.addDurableSink(journal);
      ctx.addWriteGuard(() =>
        journal.error === null ? null : `JOURNALERR The journal cannot be written: ${journal.error}`
      );
      ctx.addInfo("journal", () => [
        ["journal_enabled", journal.enabled ? 1 : 0],
        ["journal_lines", journal.lines],
        ["journal_bytes", journal.bytes],
        ["journal_last_write_status", journal.error === null ? "ok" : "err"],
      ]);
      ctx.registerCommands([{
        name: "journal.stats",
        arity: 1,
        flags: ["readonly", "fast"],
        group: "server",
        summary: "Returns the number of lines and bytes the journal holds",
        since: "0.1.0",
        handler(client) {
          client.reply.array(2);
          client.reply.integer(journal.lines);
          client.reply.integer(journal.bytes);
        },
      }]);
      ctx.core.addDebugSubcommands([{
        name: "journal-rotate",
        help: "JOURNAL-ROTATE\n    Start a new journal file; the old one gets a time suffix.",
        handler(client) {
          client.reply.bulk(journal.rotate());
        },
      }]);
      const stops = [
        ctx.config.onChange((key, value) => {
          if (key === "journal-enabled") journal.setEnabled(value as boolean);
        }),
        ctx.bus.on("dataset.replaced", ({ reason }) => journal.note({ replaced: reason })),
        ctx.bus.on("cron", () => {
          if (journal.error !== null) journal.flush();
        }),
      ];

      return {
        ready() {
          journal.open();
          journal.setEnabled(ctx.config.get<boolean>("journal-enabled"));
        },
        shutdown() {
          journal.flush();
        },
        close() {
          journal.setEnabled(false);
          for (const stop of stops) stop();
          journal.close();
        },
      };
    },
  });
}

/** The plugin, for the `plugins` config key (`plugins = ["examples/jsonl-journal/mod.ts"]`). */
export default jsonlJournalPlugin();
