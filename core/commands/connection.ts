/**
 * Connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH and CLIENT
 * (Redis's networking.c and acl.c). SELECT lives with the keyspace commands.
 *
 * Authentication follows Redis 7.0 without ACL users: the only user is
 * `default`, whose password is `requirepass` (none when it is empty, and
 * then any password is accepted for `default`).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";
import type { CommandSpec } from "../command.ts";
import type { Client } from "../client.ts";
import { NOT_INTEGER, SYNTAX_ERR } from "../errors.ts";
import { parseInt64 } from "../numbers.ts";
import { REDIS_COMPAT_VERSION } from "../version.ts";
import { discardTransaction } from "../executor.ts";
import { replyHelp } from "./help_reply.ts";
import { clientPause, clientUnpause } from "./client_pause_commands.ts";

const WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
const BAD_CLIENT_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";
const HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, " +
  "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client " +
  "and select the RESP protocol version at the same time";

function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) c.reply.error("ERR wrong number of arguments for 'ping' command");
  else if (argv.length === 2) c.reply.bulk(argv[1]);
  else c.reply.simple("PONG");
}

function echo(c: Client, argv: string[]): void {
  c.reply.bulk(argv[1]);
}

function quit(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

/** RESET: back to the state of a new connection (Redis's clearClientConnectionState). */
function reset(c: Client): void {
  if (c.monitor) {
    c.monitor = false;
    c.core.monitors.delete(c);
  }
  c.db = c.core.dbs[0];
  c.reply.resp = 2;
  c.authenticated = c.core.config.get<string>("requirepass") === "";
  discardTransaction(c);
  c.name = "";
  c.replyMode = "on";
  c.reply.simple("RESET");
}

// ------------------------------------------------------------------ auth

/** True when `user`/`password` are valid credentials (Redis's ACLCheckUserCredentials). */
function credentialsValid(c: Client, user: string, password: string): boolean {
  if (user !== "default") return false;
  const required = c.core.config.get<string>("requirepass");
  return required === "" || sameSecret(required, password);
}

// Compares digests so the time taken does not reveal how much of the password matched.
function sameSecret(a: string, b: string): boolean {
  const hash = (s: string) => createHash("sha256").update(Buffer.from(s, "latin1")).digest();
  return timingSafeEqual(hash(a), hash(b));
}

function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  if (argv.length === 2 && c.core.config.get<string>("requirepass") === "") {
    c.reply.error(
      "ERR AUTH <password> called without any password configured for the default user. " +
        "Are you sure your configuration is correct?",
    );
    return;
  }
  const [user, password] = argv.length === 2 ? ["default", argv[1]] : [argv[1], argv[2]];
  if (credentialsValid(c, user, password)) {
    c.authenticated = true;
    c.reply.ok();
  } else {
    c.reply.error(WRONGPASS);
  }
}

function hello(c: Client, argv: string[]): void {
  let version = 0;
  if (argv.length >= 2) {
    const v = parseInt64(argv[1]);
    if (v === null) {
      c.reply.error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (v < 2 || v > 3) {
      c.reply.error("NOPROTO unsupported protocol version");
      return;
    }
    version = Number(v);
  }
  for (let i = 2; i < argv.length; i++) {
    const option = argv[i].toLowerCase();
    const more = argv.length - 1 - i;
    if (option === "auth" && more >= 2) {
      if (!credentialsValid(c, argv[i + 1], argv[i + 2])) {
        c.reply.error(WRONGPASS);
        return;
      }
      c.authenticated = true;
      i += 2;
    } else if (option === "setname" && more >= 1) {
      if (!setName(c, argv[i + 1])) return;
      i++;
    } else {
      c.reply.error(`ERR Syntax error in HELLO option '${argv[i]}'`);
      return;
    }
  }
  if (!c.authenticated) {
    c.reply.error(HELLO_NOAUTH);
    return;
  }
  if (version !== 0) c.reply.resp = version as 2 | 3;
  writeHelloMap(c);
}

function writeHelloMap(c: Client): void {
  const r = c.reply;
  r.map(7);
  r.bulk("server");
  r.bulk("redis");
  r.bulk("version");
  r.bulk(REDIS_COMPAT_VERSION);
  r.bulk("proto");
  r.integer(c.resp);
  r.bulk("id");
  r.integer(c.id);
  r.bulk("mode");
  r.bulk("standalone");
  r.bulk("role");
  r.bulk("master");
  r.bulk("modules");
  r.array(0);
}

// ---------------------------------------------------------------- CLIENT

/** Sets the client's name, or replies Redis's error and returns false. Empty clears it. */
function setName(c: Client, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 0x21 || ch > 0x7e) {
      c.reply.error(BAD_CLIENT_NAME);
      return false;
    }
  }
  c.name = name;
  return true;
}

/** Client classes of CLIENT LIST TYPE and CLIENT KILL TYPE. */
type ClientType = "normal" | "master" | "replica" | "pubsub";

function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case "normal":
      return "normal";
    case "slave":
    case "replica":
      return "replica";
    case "pubsub":
      return "pubsub";
    case "master":
      return "master";
    default:
      return null;
  }
}

// Cairn has no replication links and no Pub/Sub yet: every client is a normal
// one (MONITOR clients count as normal in Redis too).
function clientType(_c: Client): ClientType {
  return "normal";
}

function clientFlags(c: Client): string {
  let flags = "";
  if (c.monitor) flags += "O";
  if (c.multi !== null) flags += "x";
  if (c.blocked !== null) flags += "b";
  if (c.dirtyCas) flags += "d";
  if (c.closeAfterReply) flags += "c";
  if (c.noEvict) flags += "e";
  return flags === "" ? "N" : flags;
}

function multiMemory(c: Client): number {
  let bytes = 0;
  for (const q of c.multi ?? []) for (const arg of q.argv) bytes += arg.length;
  return bytes;
}

/** Size of the reply buffer a client starts with (core/resp/reply_writer.ts). */
const REPLY_BUFFER_SIZE = 16 * 1024;

/**
 * One CLIENT LIST / CLIENT INFO line, with Redis 7.0's fields in Redis's
 * order. `current` is the name of the command running for `c` when it is the
 * client asking (Redis records the command before running it).
 *
 * Values Cairn does not track print as an idle connection's: `qbuf`,
 * `argv-mem`, output list sizes 0; `rbs`/`rbp` the initial reply buffer.
 * Deno exposes no file descriptors: `fd` is -1 for internal clients and the
 * client id for connections (unique per connection, as an fd is).
 */
export function clientInfoLine(c: Client, current?: string): string {
  const nowSec = Math.floor(Date.now() / 1000);
  const multiMem = multiMemory(c);
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.connection === null ? -1 : c.id}` +
    ` name=${c.name} age=${nowSec - Math.floor(c.createdAt / 1000)}` +
    ` idle=${nowSec - Math.floor(c.lastInteraction / 1000)} flags=${clientFlags(c)}` +
    ` db=${c.db.index} sub=0 psub=0 ssub=0 multi=${c.multi === null ? -1 : c.multi.length}` +
    ` qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=${multiMem}` +
    ` rbs=${REPLY_BUFFER_SIZE} rbp=${REPLY_BUFFER_SIZE} obl=0 oll=0 omem=0` +
    ` tot-mem=${REPLY_BUFFER_SIZE + multiMem} events=r cmd=${current ?? c.lastCommand}` +
    ` user=default redir=-1 resp=${c.resp}`;
}

function clientId(c: Client): void {
  c.reply.integer(c.id);
}

function clientInfo(c: Client): void {
  c.reply.verbatim(clientInfoLine(c, "client|info") + "\n");
}

function clientList(c: Client, argv: string[]): void {
  let clients: Iterable<Client> = c.core.clients.values();
  if (argv.length === 4 && argv[2].toLowerCase() === "type") {
    const type = clientTypeByName(argv[3]);
    if (type === null) {
      c.reply.error(`ERR Unknown client type '${argv[3]}'`);
      return;
    }
    clients = [...c.core.clients.values()].filter((x) => clientType(x) === type);
  } else if (argv.length > 3 && argv[2].toLowerCase() === "id") {
    const picked: Client[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseInt64(argv[i]);
      if (id === null) {
        c.reply.error("ERR Invalid client ID");
        return;
      }
      const found = c.core.clients.get(Number(id));
      if (found !== undefined) picked.push(found);
    }
    clients = picked;
  } else if (argv.length !== 2) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  let text = "";
  for (const x of clients) text += clientInfoLine(x, x === c ? "client|list" : undefined) + "\n";
  c.reply.verbatim(text);
}

function clientSetName(c: Client, argv: string[]): void {
  if (setName(c, argv[2])) c.reply.ok();
}

function clientGetName(c: Client): void {
  if (c.name === "") c.reply.nullBulk();
  else c.reply.bulk(c.name);
}

function clientReply(c: Client, argv: string[]): void {
  switch (argv[2].toLowerCase()) {
    case "on":
      c.replyMode = "on";
      c.reply.ok();
      break;
    case "off":
      c.replyMode = "off";
      break;
    case "skip":
      // Skips the reply of the next command, not of this one (which has none).
      if (c.replyMode !== "off") c.replyMode = "skip-next";
      break;
    default:
      c.reply.error(SYNTAX_ERR);
  }
}

function clientNoEvict(c: Client, argv: string[]): void {
  const mode = argv[2].toLowerCase();
  if (mode !== "on" && mode !== "off") {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  c.noEvict = mode === "on";
  c.reply.ok();
}

/** The filters of CLIENT KILL. */
interface KillFilter {
  addr?: string;
  laddr?: string;
  type?: ClientType;
  id?: number;
  skipMe: boolean;
}

/** Parses `CLIENT KILL <option> <value> ...`; replies the error and returns null when invalid. */
function parseKillFilter(c: Client, argv: string[]): KillFilter | null {
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < argv.length; i += 2) {
    const option = argv[i].toLowerCase();
    const value = argv[i + 1];
    if (value === undefined) {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
    if (option === "id") {
      const id = parseInt64(value);
      if (id === null || id < 1) {
        c.reply.error("ERR client-id should be greater than 0");
        return null;
      }
      filter.id = Number(id);
    } else if (option === "type") {
      const type = clientTypeByName(value);
      if (type === null) {
        c.reply.error(`ERR Unknown client type '${value}'`);
        return null;
      }
      filter.type = type;
    } else if (option === "addr") {
      filter.addr = value;
    } else if (option === "laddr") {
      filter.laddr = value;
    } else if (option === "user") {
      if (value !== "default") {
        c.reply.error(`ERR No such user '${value}'`);
        return null;
      }
    } else if (option === "skipme") {
      const yesNo = value.toLowerCase();
      if (yesNo !== "yes" && yesNo !== "no") {
        c.reply.error(SYNTAX_ERR);
        return null;
      }
      filter.skipMe = yesNo === "yes";
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return filter;
}

function matchesKillFilter(x: Client, me: Client, f: KillFilter): boolean {
  if (f.addr !== undefined && x.addr !== f.addr) return false;
  if (f.laddr !== undefined && x.laddr !== f.laddr) return false;
  if (f.type !== undefined && clientType(x) !== f.type) return false;
  if (f.id !== undefined && x.id !== f.id) return false;
  return !(x === me && f.skipMe);
}

function clientKill(c: Client, argv: string[]): void {
  const legacy = argv.length === 3;
  // The old form `CLIENT KILL ip:port` may kill the caller itself.
  const filter = legacy ? { addr: argv[2], skipMe: false } : parseKillFilter(c, argv);
  if (filter === null) return;
  const victims = [...c.core.clients.values()].filter((x) => matchesKillFilter(x, c, filter));
  if (legacy) {
    if (victims.length === 0) c.reply.error("ERR No such client");
    else c.reply.ok();
  } else {
    c.reply.integer(victims.length);
  }
  for (const x of victims) {
    if (x === c) c.closeAfterReply = true;
    else x.connection?.close();
  }
}

function clientUnblock(c: Client, argv: string[]): void {
  let asError = false;
  if (argv.length === 4) {
    const reason = argv[3].toLowerCase();
    if (reason !== "timeout" && reason !== "error") {
      c.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      return;
    }
    asError = reason === "error";
  }
  const id = parseInt64(argv[2]);
  if (id === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  const target = c.core.clients.get(Number(id));
  // A client CLIENT PAUSE holds is not waiting in a blocking command: Redis
  // would reply to a command that has not run (or crash); it stays held here.
  const unblocked = target !== undefined && !c.core.clientPause.holds(target) &&
    c.core.blocking.abort(
      target,
      asError ? "UNBLOCKED client unblocked via CLIENT UNBLOCK" : undefined,
    );
  c.reply.integer(unblocked ? 1 : 0);
}

// Tracking (client-side caching) is not implemented: these report it off.
function clientGetRedir(c: Client): void {
  c.reply.integer(-1);
}

function clientTrackingInfo(c: Client): void {
  c.reply.map(3);
  c.reply.bulk("flags");
  c.reply.set(1);
  c.reply.bulk("off");
  c.reply.bulk("redirect");
  c.reply.integer(-1);
  c.reply.bulk("prefixes");
  c.reply.array(0);
}

const CLIENT_HELP = [
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
];

const CLIENT_FLAGS = ["noscript", "loading", "stale"] as const;

function clientSub(
  name: string,
  arity: number,
  handler: (c: Client, argv: string[]) => void,
  summary: string,
  since: string,
  admin = false,
): CommandSpec {
  return {
    name,
    arity,
    flags: admin ? ["admin", ...CLIENT_FLAGS] : [...CLIENT_FLAGS],
    group: "connection",
    summary,
    since,
    handler,
  };
}

const CLIENT_SUBCOMMANDS: readonly CommandSpec[] = [
  clientSub("id", 2, clientId, "Returns the id of the connection", "5.0.0"),
  clientSub("info", 2, clientInfo, "Describes the current connection", "6.2.0"),
  clientSub("list", -2, clientList, "Describes every connection", "2.4.0", true),
  clientSub("kill", -3, clientKill, "Closes connections matching filters", "2.4.0", true),
  clientSub("setname", 3, clientSetName, "Names the current connection", "2.6.9"),
  clientSub("getname", 2, clientGetName, "Returns the name of the connection", "2.6.9"),
  clientSub("reply", 3, clientReply, "Turns replies to this connection on or off", "3.2.0"),
  clientSub("no-evict", 3, clientNoEvict, "Exempts the connection from eviction", "7.0.0", true),
  clientSub("unblock", -3, clientUnblock, "Ends another client's blocking wait", "5.0.0", true),
  clientSub("getredir", 2, clientGetRedir, "Returns the tracking redirection (-1)", "6.0.0"),
  clientSub("trackinginfo", 2, clientTrackingInfo, "Reports the tracking state", "6.2.0"),
  clientSub("pause", -3, clientPause, "Holds clients' commands for a while", "2.9.50", true),
  clientSub("unpause", 2, clientUnpause, "Ends a CLIENT PAUSE", "6.2.0", true),
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "connection",
    summary: "Lists the CLIENT subcommands",
    since: "5.0.0",
    handler: (c, argv) => replyHelp(c, argv[0], CLIENT_HELP),
  },
];

/** The connection commands. */
export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast"],
    group: "connection",
    summary: "Answers PONG, or echoes its argument",
    since: "1.0.0",
    handler: ping,
  },
  {
    name: "echo",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    group: "connection",
    summary: "Replies with its argument",
    since: "1.0.0",
    handler: echo,
  },
  {
    name: "quit",
    arity: -1,
    flags: ["allow_busy", "noscript", "loading", "stale", "fast", "no_auth"],
    group: "connection",
    summary: "Closes the connection after replying",
    since: "1.0.0",
    handler: quit,
  },
  {
    name: "reset",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    group: "connection",
    summary: "Returns the connection to its initial state",
    since: "6.2.0",
    handler: reset,
  },
  {
    name: "hello",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    group: "connection",
    summary: "Chooses the protocol version, optionally authenticating and naming the connection",
    since: "6.0.0",
    handler: hello,
  },
  {
    name: "auth",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    group: "connection",
    summary: "Authenticates the connection",
    since: "1.0.0",
    handler: auth,
  },
  {
    name: "client",
    arity: -2,
    flags: [],
    group: "connection",
    summary: "Inspects and controls client connections",
    since: "2.4.0",
    subcommands: CLIENT_SUBCOMMANDS,
  },
];
