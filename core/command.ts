/**
 * What a command is: its name, arity, flags, key positions and handler.
 *
 * Command families (core/commands/*.ts) export arrays of {@link CommandSpec};
 * the command table compiles them into {@link Command}s with a flag bitmask
 * and statistics. Plugins contribute commands the same way.
 *
 * A handler runs synchronously. It reads its arguments from `argv` (byte
 * strings, `argv[0]` is the command name as the client typed it), works on
 * `client.db`, writes exactly one reply to `client.reply` (or blocks the
 * client, see core/blocking.ts), increments `core.dirty` by the number of
 * changes it made, and describes how it must be replayed when that differs
 * from its own argv (see {@link Client.rewriteArgv} and
 * `Core.alsoPropagate`).
 *
 * @module
 */

import type { Client } from "./client.ts";

/** Redis's command flags (lower case, as COMMAND INFO prints them). */
export type CommandFlagName =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "no_mandatory_keys"
  | "no_multi"
  | "allow_busy"
  | "protected"
  | "movablekeys"
  | "touches_arbitrary_keys";

const FLAG_NAMES: readonly CommandFlagName[] = [
  "write",
  "readonly",
  "denyoom",
  "admin",
  "pubsub",
  "noscript",
  "blocking",
  "loading",
  "stale",
  "skip_monitor",
  "skip_slowlog",
  "fast",
  "no_auth",
  "may_replicate",
  "no_mandatory_keys",
  "no_multi",
  "allow_busy",
  "protected",
  "movablekeys",
  "touches_arbitrary_keys",
];

/** Bit of each flag in {@link Command.flags}. */
export const Flag: { readonly [K in CommandFlagName]: number } = Object.fromEntries(
  FLAG_NAMES.map((name, i) => [name, 1 << i]),
) as { [K in CommandFlagName]: number };

/** Turns flag names into a bitmask. */
export function flagBits(names: readonly CommandFlagName[]): number {
  let bits = 0;
  for (const n of names) bits |= Flag[n];
  return bits;
}

/** Turns a bitmask back into flag names, in Redis's order. */
export function flagNames(bits: number): CommandFlagName[] {
  return FLAG_NAMES.filter((n) => (bits & Flag[n]) !== 0);
}

/** Runs a command. */
export type CommandHandler = (client: Client, argv: string[]) => void;

/** Declaration of a command (or of a subcommand, inside `subcommands`). */
export interface CommandSpec {
  /** Name in lower case (`get`; for a subcommand just the subcommand: `get` under `config`). */
  readonly name: string;
  /** Redis's arity: exact argument count including the name, or -N for "at least N". */
  readonly arity: number;
  /** Flags, as in Redis's command table. */
  readonly flags: readonly CommandFlagName[];
  /** First key, last key (-1: the last argument) and step; omit for commands without keys. */
  readonly keys?: { readonly first: number; readonly last: number; readonly step: number };
  /** Keys of commands whose key positions depend on the arguments (ZUNIONSTORE, ...). */
  readonly getKeys?: (argv: readonly string[]) => number[];
  /** Group for COMMAND DOCS (`string`, `generic`, `server`, ...). */
  readonly group: string;
  /** One line for COMMAND DOCS and redis-cli's help. */
  readonly summary: string;
  /** Redis version that introduced it, for COMMAND DOCS. */
  readonly since: string;
  /** Subcommands of a container command (CONFIG, CLIENT, ...). */
  readonly subcommands?: readonly CommandSpec[];
  /** The implementation; absent on a container command. */
  readonly handler?: CommandHandler;
}

/**
 * Per-command counters, for INFO commandstats.
 *
 * Execution time is measured on a sample of the calls and scaled to all of
 * them (see {@link commandUsec}): reading the clock costs about 130 ns in
 * Deno, as much as a fifth of a GET, so timing every call would slow every
 * command. Every call is timed until {@link EXACT_CALLS}, then one in
 * {@link SAMPLE_EVERY}.
 */
export interface CommandStats {
  /** Successful and failed executions. */
  calls: number;
  /** Execution time of the timed calls, in microseconds. */
  sampledUsec: number;
  /** Calls that were timed. */
  sampledCalls: number;
  /** Refused before running (arity, auth, MISCONF, ...). */
  rejectedCalls: number;
  /** Ran and replied with an error. */
  failedCalls: number;
}

/** Calls of a command that are all timed, before sampling starts. */
export const EXACT_CALLS = 16;
/** After {@link EXACT_CALLS}, one call in this many is timed (a power of two). */
export const SAMPLE_EVERY = 64;

/** Total execution time of a command's calls in microseconds, as INFO commandstats reports it. */
export function commandUsec(stats: CommandStats): number {
  if (stats.sampledCalls === 0) return 0;
  return Math.round((stats.sampledUsec * stats.calls) / stats.sampledCalls);
}

/** A compiled command, as the dispatcher uses it. */
export interface Command {
  /** The declaration it came from. */
  readonly spec: CommandSpec;
  /** Lower-case name, `parent|sub` for a subcommand (used in error messages). */
  readonly fullname: string;
  /** Redis's arity. */
  readonly arity: number;
  /** Flag bitmask (see {@link Flag}). */
  readonly flags: number;
  /** The handler (a no-op for containers). */
  readonly handler: CommandHandler;
  /** The container, for a subcommand. */
  readonly parent: Command | null;
  /** Subcommands by lower-case name, for a container. */
  readonly subcommands: Map<string, Command> | null;
  /** Counters. */
  readonly stats: CommandStats;
}
