/**
 * The configuration keys of the server, with Redis 7.0's names, defaults and
 * value forms.
 *
 * @module
 */

import { DATA_TYPE_CONFIG_KEYS } from "./data_type_keys.ts";
import {
  boolKey,
  type ConfigKeySpec,
  ConfigValueError,
  enumKey,
  intKey,
  stringKey,
} from "./spec.ts";

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

/** `bind`: one or more addresses separated by spaces. */
const bindKey: ConfigKeySpec<string[]> = {
  name: "bind",
  default: ["127.0.0.1"],
  mutable: true,
  multiArg: true,
  expected: "one or more IP addresses separated by spaces",
  parse(text) {
    const addrs = text.split(/\s+/).filter((s) => s.length > 0);
    if (addrs.length === 0) throw new ConfigValueError("at least one address is needed");
    return addrs;
  },
  format: (v) => v.join(" "),
  fromToml(v) {
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return this.parse(v.join(" "));
    if (typeof v === "string") return this.parse(v);
    throw new ConfigValueError("expected a string or an array of strings");
  },
  toToml: (v) => JSON.stringify(v),
};

/** One `save` rule: snapshot after `seconds` if at least `changes` writes happened. */
export interface SaveRule {
  /** Seconds since the last successful save. */
  readonly seconds: number;
  /** Minimum number of changes. */
  readonly changes: number;
}

/** `save`: pairs of `<seconds> <changes>`; `""` disables automatic snapshots. */
export const saveKey: ConfigKeySpec<SaveRule[]> = {
  name: "save",
  default: [{ seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, {
    seconds: 60,
    changes: 10000,
  }],
  mutable: true,
  multiArg: true,
  expected: 'pairs of "<seconds> <changes>", or "" to disable',
  parse(text) {
    const words = text.split(/\s+/).filter((w) => w.length > 0);
    if (words.length % 2 !== 0) throw new ConfigValueError("Invalid save parameters");
    const rules: SaveRule[] = [];
    for (let i = 0; i < words.length; i += 2) {
      if (!/^\d+$/.test(words[i]) || !/^\d+$/.test(words[i + 1])) {
        throw new ConfigValueError("Invalid save parameters");
      }
      rules.push({ seconds: Number(words[i]), changes: Number(words[i + 1]) });
    }
    return rules;
  },
  format: (rules) => rules.map((r) => `${r.seconds} ${r.changes}`).join(" "),
  fromToml(v) {
    if (typeof v === "string") return this.parse(v);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return this.parse(v.join(" "));
    throw new ConfigValueError('expected a string such as "3600 1 300 100" or an array of them');
  },
  toToml: (rules) => JSON.stringify(rules.map((r) => `${r.seconds} ${r.changes}`)),
};

/** The server's own configuration keys. */
export const CORE_CONFIG_KEYS: readonly ConfigKeySpec[] = [
  intKey("port", 6379, 0, 65535, true),
  bindKey,
  intKey("databases", 16, 1, INT_MAX, false),
  intKey("hz", 10, 1, 500, true),
  enumKey("loglevel", "notice", ["debug", "verbose", "notice", "warning"], true),
  stringKey("logfile", "", false),
  stringKey("requirepass", "", true),
  intKey("maxclients", 10000, 1, INT_MAX, true),
  intKey("proto-max-bulk-len", 512 * 1024 * 1024, 1024 * 1024, LLONG_MAX, true, { memory: true }),
  intKey("client-query-buffer-limit", 1024 * 1024 * 1024, 1024 * 1024, LLONG_MAX, true, {
    memory: true,
  }),
  enumKey("enable-debug-command", "no", ["no", "yes", "local"], false),
  stringKey("dir", ".", true),
  saveKey,
  intKey("timeout", 0, 0, INT_MAX, true),
  boolKey("lazyfree-lazy-expire", false, true),
  boolKey("lazyfree-lazy-user-del", false, true),
  boolKey("lazyfree-lazy-user-flush", false, true),
  boolKey("lazyfree-lazy-server-del", false, true),
  ...DATA_TYPE_CONFIG_KEYS,
];
