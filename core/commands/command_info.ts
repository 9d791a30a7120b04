/**
 * The COMMAND introspection subcommands (COUNT, INFO, DOCS, LIST, GETKEYS,
 * GETKEYSANDFLAGS, HELP), in Redis 7.0's reply shapes: flags, ACL
 * categories and key specs come from each {@link CommandSpec}.
 *
 * A spec does not list ACL categories or key-spec flags, so they are
 * derived as Redis derives its implicit ones: `@write`/`@read`/`@admin`
 * `@dangerous`/`@fast`/`@slow`/`@blocking`/`@pubsub` from the flags, plus the
 * category of the command's group (`string` → `@string`, `generic` →
 * `@keyspace`, ...) or, for the few commands where Redis says otherwise,
 * Redis's own list. Key specs are one `index`/`range` spec built from the
 * spec's `keys`; commands that find their keys with `getKeys` report none.
 *
 * @module
 */

import type { Client } from "../client.ts";
import { type Command, type CommandSpec, Flag } from "../command.ts";
import { globMatch } from "../glob.ts";
import { replyHelp } from "./help_reply.ts";
import { COMMAND_TIPS } from "./command_tips.ts";

/** Flags in the order COMMAND INFO prints them (Redis hides may_replicate and protected). */
const SHOWN_FLAGS = [
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
  "no_mandatory_keys",
  "no_multi",
  "movablekeys",
  "allow_busy",
] as const;

/** ACL categories in Redis's order. */
const ACL_CATEGORIES = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
] as const;

/** The ACL category of each command group. */
const GROUP_CATEGORY: Readonly<Record<string, string>> = {
  generic: "keyspace",
  string: "string",
  list: "list",
  set: "set",
  "sorted-set": "sortedset",
  sorted_set: "sortedset",
  sortedset: "sortedset",
  hash: "hash",
  pubsub: "pubsub",
  transactions: "transaction",
  connection: "connection",
  scripting: "scripting",
  hyperloglog: "hyperloglog",
  geo: "geo",
  stream: "stream",
  bitmap: "bitmap",
};

/**
 * Redis 7.0's explicit categories of the commands whose categories are not
 * simply their group's (from src/commands/*.json); the flag-derived ones
 * are added to these as to any command.
 */
const EXPLICIT_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  asking: ["connection"],
  command: ["connection"],
  "command|count": ["connection"],
  "command|docs": ["connection"],
  "command|getkeys": ["connection"],
  "command|getkeysandflags": ["connection"],
  "command|help": ["connection"],
  "command|info": ["connection"],
  "command|list": ["connection"],
  dbsize: ["keyspace"],
  flushall: ["keyspace", "dangerous"],
  flushdb: ["keyspace", "dangerous"],
  info: ["dangerous"],
  keys: ["keyspace", "dangerous"],
  lastsave: ["admin", "dangerous"],
  migrate: ["keyspace", "dangerous"],
  readonly: ["connection"],
  readwrite: ["connection"],
  restore: ["keyspace", "dangerous"],
  "restore-asking": ["keyspace", "dangerous"],
  role: ["admin", "dangerous"],
  sort: ["set", "sortedset", "list", "dangerous"],
  sort_ro: ["set", "sortedset", "list", "dangerous"],
  swapdb: ["keyspace", "dangerous"],
  wait: ["connection"],
};

/** The ACL categories of `cmd` (without the `@`), in Redis's order. */
export function aclCategories(cmd: Command): string[] {
  const f = cmd.flags;
  const has = new Set<string>();
  const explicit = EXPLICIT_CATEGORIES[cmd.fullname];
  if (explicit !== undefined) {
    for (const name of explicit) has.add(name);
  } else if (cmd.subcommands === null) {
    // A container's own entry carries no group category (CLIENT is just @slow).
    const group = GROUP_CATEGORY[cmd.spec.group];
    if (group !== undefined) has.add(group);
  }
  if (f & Flag.write) has.add("write");
  if ((f & Flag.readonly) && !has.has("scripting")) has.add("read");
  if (f & Flag.admin) has.add("admin").add("dangerous");
  if (f & Flag.pubsub) has.add("pubsub");
  if (f & Flag.fast) has.add("fast");
  if (f & Flag.blocking) has.add("blocking");
  if (!has.has("fast")) has.add("slow");
  return ACL_CATEGORIES.filter((name) => has.has(name));
}

function keySpecFlags(cmd: Command): string[] {
  if (cmd.flags & Flag.write) return ["RW", "update"];
  return ["RO", "access"];
}

/** Finds a command by full name, `get` or `config|get` (any case), or undefined. */
export function commandByFullName(c: Client, name: string): Command | undefined {
  const parts = name.split("|");
  if (parts.length > 2) return undefined;
  const top = c.core.commands.get(parts[0]);
  if (parts.length === 1 || top === undefined) return top;
  return top.subcommands?.get(parts[1].toLowerCase());
}

/** Writes one command's COMMAND INFO entry (Redis 7.0's 10-element array). */
export function replyCommandInfo(c: Client, cmd: Command): void {
  const r = c.reply;
  const keys = cmd.spec.keys;
  r.array(10);
  r.bulk(cmd.fullname);
  r.integer(cmd.arity);
  const flags = SHOWN_FLAGS.filter((name) => (cmd.flags & Flag[name]) !== 0);
  r.set(flags.length);
  for (const name of flags) r.simple(name);
  r.integer(keys?.first ?? 0);
  r.integer(keys?.last ?? 0);
  r.integer(keys?.step ?? 0);
  const categories = aclCategories(cmd);
  r.set(categories.length);
  for (const name of categories) r.simple("@" + name);
  const tips = COMMAND_TIPS[cmd.fullname] ?? [];
  r.set(tips.length);
  for (const tip of tips) r.bulk(tip);
  replyKeySpecs(c, cmd);
  if (cmd.subcommands === null) {
    r.set(0);
  } else {
    r.array(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) replyCommandInfo(c, sub);
  }
}

function replyKeySpecs(c: Client, cmd: Command): void {
  const r = c.reply;
  const keys = cmd.spec.keys;
  if (keys === undefined) {
    r.set(0);
    return;
  }
  r.set(1);
  r.map(3);
  r.bulk("flags");
  const flags = keySpecFlags(cmd);
  r.set(flags.length);
  for (const f of flags) r.simple(f);
  r.bulk("begin_search");
  r.map(2);
  r.bulk("type");
  r.bulk("index");
  r.bulk("spec");
  r.map(1);
  r.bulk("index");
  r.integer(keys.first);
  r.bulk("find_keys");
  r.map(2);
  r.bulk("type");
  r.bulk("range");
  r.bulk("spec");
  r.map(3);
  r.bulk("lastkey");
  r.integer(keys.last < 0 ? keys.last : keys.last - keys.first);
  r.bulk("keystep");
  r.integer(keys.step);
  r.bulk("limit");
  r.integer(0);
}

/** Writes one command's COMMAND DOCS map. */
function replyCommandDocs(c: Client, cmd: Command): void {
  const r = c.reply;
  const spec = cmd.spec;
  r.map(cmd.subcommands === null ? 3 : 4);
  r.bulk("summary");
  r.bulk(spec.summary);
  r.bulk("since");
  r.bulk(spec.since);
  r.bulk("group");
  r.bulk(spec.group);
  if (cmd.subcommands !== null) {
    r.bulk("subcommands");
    r.map(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) {
      r.bulk(sub.fullname);
      replyCommandDocs(c, sub);
    }
  }
}

function commandCount(c: Client): void {
  c.reply.integer(c.core.commands.size);
}

function commandInfo(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const all = [...c.core.commands.all()];
    c.reply.array(all.length);
    for (const cmd of all) replyCommandInfo(c, cmd);
    return;
  }
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const cmd = commandByFullName(c, argv[i]);
    if (cmd === undefined) c.reply.nullBulk();
    else replyCommandInfo(c, cmd);
  }
}

function commandDocs(c: Client, argv: string[]): void {
  const found: Command[] = [];
  if (argv.length === 2) {
    found.push(...c.core.commands.all());
  } else {
    for (let i = 2; i < argv.length; i++) {
      const cmd = commandByFullName(c, argv[i]);
      if (cmd !== undefined) found.push(cmd);
    }
  }
  c.reply.map(found.length);
  for (const cmd of found) {
    c.reply.bulk(cmd.fullname);
    replyCommandDocs(c, cmd);
  }
}

/** Every command and subcommand, parents before their subcommands. */
function* allCommands(c: Client): Generator<Command> {
  for (const cmd of c.core.commands.all()) {
    yield cmd;
    if (cmd.subcommands !== null) yield* cmd.subcommands.values();
  }
}

function commandList(c: Client, argv: string[]): void {
  let keep: (cmd: Command) => boolean = () => true;
  for (let i = 2; i < argv.length; i += 3) {
    if (argv[i].toLowerCase() !== "filterby" || argv.length - 1 - i !== 2) {
      c.reply.error("ERR syntax error");
      return;
    }
    const arg = argv[i + 2];
    switch (argv[i + 1].toLowerCase()) {
      case "module":
        keep = () => false; // no modules
        break;
      case "aclcat":
        keep = (cmd) => aclCategories(cmd).includes(arg.toLowerCase());
        break;
      case "pattern":
        keep = (cmd) => globMatch(arg, cmd.fullname, true);
        break;
      default:
        c.reply.error("ERR syntax error");
        return;
    }
  }
  const names: string[] = [];
  for (const cmd of allCommands(c)) if (keep(cmd)) names.push(cmd.fullname);
  c.reply.bulkArray(names);
}

/** Argument positions holding keys in `argv` (a full command line), per `cmd`'s spec. */
export function keyPositions(cmd: Command, argv: readonly string[]): number[] {
  const spec = cmd.spec;
  if (spec.getKeys !== undefined) return spec.getKeys(argv);
  const keys = spec.keys;
  if (keys === undefined) return [];
  const last = keys.last < 0 ? argv.length + keys.last : keys.last;
  if (last >= argv.length || last < keys.first) return [];
  const positions: number[] = [];
  for (let i = keys.first; i <= last; i += keys.step) positions.push(i);
  return positions;
}

function commandGetKeys(c: Client, argv: string[], withFlags: boolean): void {
  const target = argv.slice(2);
  const found = c.core.commands.lookup(target);
  if ("error" in found) {
    c.reply.error("ERR Invalid command specified");
    return;
  }
  const cmd = found;
  if (cmd.spec.keys === undefined && cmd.spec.getKeys === undefined) {
    c.reply.error("ERR The command has no key arguments");
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== target.length) || target.length < -cmd.arity) {
    c.reply.error("ERR Invalid number of arguments specified for command");
    return;
  }
  const positions = keyPositions(cmd, target);
  if (positions.length === 0 && (cmd.flags & Flag.no_mandatory_keys) === 0) {
    c.reply.error("ERR Invalid arguments specified for command");
    return;
  }
  c.reply.array(positions.length);
  const flags = keySpecFlags(cmd);
  for (const p of positions) {
    if (!withFlags) {
      c.reply.bulk(target[p]);
      continue;
    }
    c.reply.array(2);
    c.reply.bulk(target[p]);
    c.reply.set(flags.length);
    for (const f of flags) c.reply.simple(f);
  }
}

const COMMAND_HELP = [
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
];

function commandSub(
  name: string,
  arity: number,
  summary: string,
  since: string,
  handler: (c: Client, argv: string[]) => void,
): CommandSpec {
  return { name, arity, flags: ["loading", "stale"], group: "server", summary, since, handler };
}

/** The subcommands of COMMAND. */
export const COMMAND_SUBCOMMANDS: readonly CommandSpec[] = [
  commandSub("count", 2, "Returns the number of commands", "2.8.13", commandCount),
  commandSub("info", -2, "Describes commands", "2.8.13", commandInfo),
  commandSub("docs", -2, "Returns the documentation of commands", "7.0.0", commandDocs),
  commandSub("list", -2, "Lists command names, optionally filtered", "7.0.0", commandList),
  commandSub(
    "getkeys",
    -4,
    "Extracts the keys of a full command line",
    "2.8.13",
    (c, argv) => commandGetKeys(c, argv, false),
  ),
  commandSub(
    "getkeysandflags",
    -4,
    "Extracts the keys of a full command line with their access flags",
    "7.0.0",
    (c, argv) => commandGetKeys(c, argv, true),
  ),
  commandSub(
    "help",
    2,
    "Lists the COMMAND subcommands",
    "5.0.0",
    (c, argv) => replyHelp(c, argv[0], COMMAND_HELP),
  ),
];
