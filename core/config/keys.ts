/**
 * The configuration keys of the server, with Redis 7.0's names, defaults and
 * value forms: the ones the core and the server act on, the persistence keys,
 * the data-type keys, Cairn's own (`plugins`, `aof-multi-part`) and every
 * other Redis 7.0 directive, accepted but ignored (ignored_keys.ts).
 *
 * @module
 */

import { DATA_TYPE_CONFIG_KEYS } from "./data_type_keys.ts";
import { IGNORED_CONFIG_KEYS } from "./ignored_keys.ts";
import { PERSISTENCE_CONFIG_KEYS } from "./persistence_keys.ts";
import { bindKey, saveKey } from "./special_keys.ts";
import {
  boolKey,
  type ConfigKeySpec,
  ConfigValueError,
  enumKey,
  INT_MAX,
  intKey,
  LLONG_MAX,
  stringKey,
  tomlArray,
  tomlKind,
  UINT_MAX,
} from "./spec.ts";

export { saveKey, type SaveRule } from "./special_keys.ts";

/** `plugins`: module paths or URLs of extra plugins, imported at start. */
export const pluginsKey: ConfigKeySpec<readonly string[]> = {
  name: "plugins",
  default: [],
  mutable: false,
  multiArg: true,
  expected: "a list of module paths or URLs",
  doc:
    "Cairn: extra plugin modules (paths or URLs) to import at start; a compiled binary loads only what it bundled.",
  parse: (text) => text.split(/\s+/).filter((w) => w !== ""),
  format: (v) => v.join(" "),
  fromToml(v) {
    if (typeof v === "string") return this.parse(v);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    throw new ConfigValueError(`${tomlKind(v)} is not accepted here`);
  },
  toToml: tomlArray,
};

/** Keys of the network listener and client handling. */
const NETWORK_KEYS: readonly ConfigKeySpec[] = [
  intKey("port", 6379, 0, 65535, true, { doc: "TCP port to listen on (0: let the system pick)." }),
  bindKey,
  intKey("maxclients", 10000, 1, UINT_MAX, true, {
    unsigned: true,
    doc: "Refuse connections beyond this many clients.",
  }),
  intKey("timeout", 0, 0, INT_MAX, true, {
    doc: "Close a client idle for this many seconds (0: never).",
  }),
  intKey("proto-max-bulk-len", 512 * 1024 * 1024, 1024 * 1024, LLONG_MAX, true, {
    memory: true,
    doc: "Largest bulk string a client may send.",
  }),
  intKey("client-query-buffer-limit", 1024 * 1024 * 1024, 1024 * 1024, LLONG_MAX, true, {
    memory: true,
    unsigned: true,
    doc: "Close a client whose unparsed input grows beyond this.",
  }),
];

/** Keys of the process: logging, files, security. */
const GENERAL_KEYS: readonly ConfigKeySpec[] = [
  stringKey("dir", ".", true, {
    protected: true,
    denyLoading: true,
    alwaysRewrite: true,
    doc: "Directory of the RDB and AOF files (must exist).",
  }),
  intKey("databases", 16, 1, INT_MAX, false, { doc: "Number of databases (SELECT 0..n-1)." }),
  intKey("hz", 10, 0, INT_MAX, true, {
    clamp: [1, 500],
    doc: "Background task frequency per second (brought within 1..500).",
  }),
  enumKey("loglevel", "notice", ["debug", "verbose", "notice", "warning"], true, {
    doc: "Log verbosity: debug, verbose, notice or warning.",
  }),
  stringKey("logfile", "", false, { doc: 'Log file; "" logs to standard output.' }),
  stringKey("pidfile", "", false, {
    emptyIsNull: true,
    doc: 'Write the process id to this file while running; "" writes none.',
  }),
  stringKey("requirepass", "", true, {
    sensitive: true,
    emptyIsNull: true,
    doc: 'Password clients must give with AUTH; "" requires none.',
  }),
  enumKey("enable-debug-command", "no", ["no", "yes", "local"], false, {
    doc: "Allow DEBUG: no, yes, or local (from loopback connections only).",
  }),
  enumKey("enable-protected-configs", "no", ["no", "yes", "local"], false, {
    doc: "Allow CONFIG SET of dir and dbfilename: no, yes, or local.",
  }),
  boolKey("lazyfree-lazy-expire", false, true, {
    doc: "Propagate expired keys as UNLINK instead of DEL.",
  }),
  boolKey("lazyfree-lazy-user-del", false, true, { doc: "Make DEL behave like UNLINK." }),
  boolKey("lazyfree-lazy-user-flush", false, true, {
    doc: "Make FLUSHDB/FLUSHALL without a flag behave as ASYNC.",
  }),
  boolKey("lazyfree-lazy-server-del", false, true, {
    doc: "Free values the server deletes implicitly (RENAME, SET) lazily.",
  }),
  pluginsKey,
];

/** Every key the server registers at start, in the order of the example config. */
export const CORE_CONFIG_KEYS: readonly ConfigKeySpec[] = [
  ...NETWORK_KEYS,
  ...GENERAL_KEYS,
  saveKey,
  ...PERSISTENCE_CONFIG_KEYS,
  ...DATA_TYPE_CONFIG_KEYS,
  ...IGNORED_CONFIG_KEYS,
];
