/**
 * Keys whose values are not a single word: Redis's "special" configs, with
 * the parsing rules and error texts of Redis 7.0's `config.c`.
 *
 * @module
 */

import { parseDouble } from "../numbers.ts";
import { quoteArg } from "../split_args.ts";
import {
  type ConfigKeySpec,
  ConfigValueError,
  formatMemoryUnits,
  memtoull,
  tomlArray,
  tomlKind,
  tomlString,
} from "./spec.ts";

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Accepts a TOML string, or an array of strings joined with spaces. */
function textOrWords<T>(this: ConfigKeySpec<T>, v: unknown): T {
  if (typeof v === "string") return this.parse(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) {
    return this.parse(v.join(" "));
  }
  throw new ConfigValueError(`${tomlKind(v)} is not accepted here`);
}

/** One `save` rule: snapshot after `seconds` if at least `changes` writes happened. */
export interface SaveRule {
  /** Seconds since the last successful save. */
  readonly seconds: number;
  /** Minimum number of changes. */
  readonly changes: number;
}

/**
 * `save`: pairs of `<seconds> <changes>`; `""` disables automatic snapshots.
 * In a config file (and on the command line) repeated `save` lines add up,
 * and `save ""` drops the rules read so far, as in Redis.
 */
export const saveKey: ConfigKeySpec<SaveRule[]> = {
  name: "save",
  default: [{ seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, {
    seconds: 60,
    changes: 10000,
  }],
  mutable: true,
  multiArg: true,
  alwaysRewrite: true,
  expected: 'pairs of "<seconds> <changes>" (seconds >= 1), or "" to disable',
  doc: 'Snapshot rules: "<seconds> <changes>" pairs; "" disables automatic snapshots.',
  parse(text) {
    const w = words(text);
    if (w.length % 2 !== 0) throw new ConfigValueError("Invalid save parameters");
    const rules: SaveRule[] = [];
    for (let i = 0; i < w.length; i += 2) {
      if (!/^\d+$/.test(w[i]) || !/^\d+$/.test(w[i + 1]) || Number(w[i]) < 1) {
        throw new ConfigValueError("Invalid save parameters");
      }
      rules.push({ seconds: Number(w[i]), changes: Number(w[i + 1]) });
    }
    return rules;
  },
  format: (rules) => rules.map((r) => `${r.seconds} ${r.changes}`).join(" "),
  fromToml: textOrWords,
  toToml: (rules) =>
    rules.length === 0 ? '""' : tomlArray(rules.map((r) => `${r.seconds} ${r.changes}`)),
  accumulate: (previous, next) => (next.length === 0 ? [] : [...previous, ...next]),
  rewriteArgs: (rules) =>
    rules.length === 0 ? ['""'] : rules.map((r) => `${r.seconds} ${r.changes}`),
};

/**
 * `bind`: the addresses to listen on. A leading `-` marks an address that
 * may be unavailable. Redis's default is `* -::*` (every interface, guarded
 * by protected mode); Cairn has no protected mode, so it listens on the
 * loopback address unless told otherwise.
 */
export const bindKey: ConfigKeySpec<string[]> = {
  name: "bind",
  default: ["127.0.0.1"],
  mutable: true,
  multiArg: true,
  expected: "up to 16 IP addresses separated by spaces",
  doc: "Addresses to listen on; a leading - marks one that may be missing (Redis: * -::*).",
  parse(text) {
    const addrs = words(text);
    if (addrs.length > 16) throw new ConfigValueError("Too many bind addresses specified.");
    return addrs;
  },
  format: (v) => v.join(" "),
  fromToml: textOrWords,
  toToml: tomlArray,
  rewriteArgs: (v) => [v.length === 0 ? '""' : v.join(" ")],
};

/** Output buffer limits of one client class. */
export interface OutputBufferLimit {
  /** Disconnect at once above this many bytes (0: no limit). */
  readonly hard: number;
  /** Disconnect when above this many bytes for `seconds`. */
  readonly soft: number;
  /** Seconds the soft limit may be exceeded. */
  readonly seconds: number;
}

/** `client-output-buffer-limit`: per client class, in Redis's class order. */
export interface OutputBufferLimits {
  /** Normal clients. */
  readonly normal: OutputBufferLimit;
  /** Replicas (`slave` or `replica` in the config). */
  readonly replica: OutputBufferLimit;
  /** Pub/Sub subscribers. */
  readonly pubsub: OutputBufferLimit;
}

const CLIENT_CLASSES: Record<string, keyof OutputBufferLimits> = {
  normal: "normal",
  slave: "replica",
  replica: "replica",
  pubsub: "pubsub",
};
const CLASS_NAMES: Record<keyof OutputBufferLimits, string> = {
  normal: "normal",
  replica: "slave",
  pubsub: "pubsub",
};

/** `client-output-buffer-limit <class> <hard> <soft> <seconds> ...`; unnamed classes keep their limits. */
export const clientOutputBufferLimitKey: ConfigKeySpec<OutputBufferLimits> = {
  name: "client-output-buffer-limit",
  default: {
    normal: { hard: 0, soft: 0, seconds: 0 },
    replica: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, seconds: 60 },
    pubsub: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, seconds: 60 },
  },
  mutable: true,
  multiArg: true,
  expected: "groups of <normal|replica|pubsub> <hard> <soft> <seconds>",
  parse(text, previous) {
    const w = words(text);
    if (w.length % 4 !== 0) {
      throw new ConfigValueError("Wrong number of arguments in buffer limit configuration.");
    }
    const next: Record<string, OutputBufferLimit> = { ...(previous ?? this.default) };
    for (let i = 0; i < w.length; i += 4) {
      const cls = CLIENT_CLASSES[w[i].toLowerCase()];
      if (cls === undefined) {
        throw new ConfigValueError("Invalid client class specified in buffer limit configuration.");
      }
      const hard = memtoull(w[i + 1]);
      const soft = memtoull(w[i + 2]);
      if (hard === null || soft === null || !/^\d+$/.test(w[i + 3])) {
        throw new ConfigValueError(
          "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
        );
      }
      next[cls] = { hard: Number(hard), soft: Number(soft), seconds: Number(w[i + 3]) };
    }
    return next as unknown as OutputBufferLimits;
  },
  format(v) {
    return (Object.keys(CLASS_NAMES) as (keyof OutputBufferLimits)[])
      .map((c) => `${CLASS_NAMES[c]} ${v[c].hard} ${v[c].soft} ${v[c].seconds}`)
      .join(" ");
  },
  fromToml: textOrWords,
  toToml(v) {
    return tomlArray(this.rewriteArgs!(v));
  },
  rewriteArgs(v) {
    return (Object.keys(CLASS_NAMES) as (keyof OutputBufferLimits)[]).map((c) =>
      `${c} ${formatMemoryUnits(v[c].hard)} ${formatMemoryUnits(v[c].soft)} ${v[c].seconds}`
    );
  },
};

/** Keyspace notification classes, as bits (Redis's NOTIFY_* values). */
export const NOTIFY = {
  keyspace: 1 << 0,
  keyevent: 1 << 1,
  generic: 1 << 2,
  string: 1 << 3,
  list: 1 << 4,
  set: 1 << 5,
  hash: 1 << 6,
  zset: 1 << 7,
  expired: 1 << 8,
  evicted: 1 << 9,
  stream: 1 << 10,
  keyMiss: 1 << 11,
  module: 1 << 13,
  new: 1 << 14,
} as const;

/** The `A` class: every type class, not `m` (key miss) nor `n` (new key). */
export const NOTIFY_ALL = NOTIFY.generic | NOTIFY.string | NOTIFY.list | NOTIFY.set |
  NOTIFY.hash | NOTIFY.zset | NOTIFY.expired | NOTIFY.evicted | NOTIFY.stream | NOTIFY.module;

const NOTIFY_LETTERS: Record<string, number> = {
  A: NOTIFY_ALL,
  g: NOTIFY.generic,
  $: NOTIFY.string,
  l: NOTIFY.list,
  s: NOTIFY.set,
  h: NOTIFY.hash,
  z: NOTIFY.zset,
  x: NOTIFY.expired,
  e: NOTIFY.evicted,
  K: NOTIFY.keyspace,
  E: NOTIFY.keyevent,
  t: NOTIFY.stream,
  m: NOTIFY.keyMiss,
  d: NOTIFY.module,
  n: NOTIFY.new,
};

/** The letters of the type classes, in the order Redis prints them. */
const TYPE_LETTERS = "g$lshzxetdn";

/** `notify-keyspace-events`: class letters (`KEA`); the value is the bit set. */
export const notifyKeyspaceEventsKey: ConfigKeySpec<number> = {
  name: "notify-keyspace-events",
  default: 0,
  mutable: true,
  quoted: true,
  expected: "letters among Ag$lshzxeKEtmdn, or an empty string",
  parse(text) {
    let flags = 0;
    for (const c of text) {
      const bit = NOTIFY_LETTERS[c];
      if (bit === undefined) {
        throw new ConfigValueError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      }
      flags |= bit;
    }
    return flags;
  },
  format(flags) {
    let out = "";
    if ((flags & NOTIFY_ALL) === NOTIFY_ALL) out = "A";
    else for (const c of TYPE_LETTERS) if (flags & NOTIFY_LETTERS[c]) out += c;
    if (flags & NOTIFY.keyspace) out += "K";
    if (flags & NOTIFY.keyevent) out += "E";
    if (flags & NOTIFY.keyMiss) out += "m";
    return out;
  },
  toToml(v) {
    return tomlString(this.format(v));
  },
  rewriteArgs(v) {
    return [quoteArg(this.format(v))];
  },
};

/** The master a replica follows. */
export interface ReplicaOf {
  /** Master host. */
  readonly host: string;
  /** Master port. */
  readonly port: number;
}

/** `replicaof <host> <port>` or `replicaof no one`. */
export const replicaofKey: ConfigKeySpec<ReplicaOf | null> = {
  name: "replicaof",
  aliases: ["slaveof"],
  default: null,
  mutable: false,
  multiArg: true,
  expected: '"<host> <port>" or "no one"',
  parse(text) {
    const w = words(text);
    if (w.length !== 2) throw new ConfigValueError("wrong number of arguments");
    if (w[0].toLowerCase() === "no" && w[1].toLowerCase() === "one") return null;
    const port = /^\d+$/.test(w[1]) ? Number(w[1]) : -1;
    if (port < 0 || port > 65535) throw new ConfigValueError("Invalid master port");
    return { host: w[0], port };
  },
  format: (v) => (v === null ? "" : `${v.host} ${v.port}`),
  fromToml: textOrWords,
  toToml: (v) => (v === null ? '"no one"' : tomlString(`${v.host} ${v.port}`)),
  rewriteArgs: (v) => (v === null ? [] : [`${v.host} ${v.port}`]),
};

/** `oom-score-adj-values <master> <replica> <bgchild>`, each between -2000 and 2000. */
export const oomScoreAdjValuesKey: ConfigKeySpec<readonly number[]> = {
  name: "oom-score-adj-values",
  default: [0, 200, 800],
  mutable: true,
  multiArg: true,
  expected: "three integers between -2000 and 2000",
  parse(text) {
    const w = words(text);
    if (w.length !== 3) throw new ConfigValueError("wrong number of arguments");
    return w.map((x) => {
      const n = /^[+-]?\d+$/.test(x) ? Number(x) : NaN;
      if (!(n >= -2000 && n <= 2000)) {
        throw new ConfigValueError(
          "Invalid oom-score-adj-values, elements must be between -2000 and 2000.",
        );
      }
      return n;
    });
  },
  format: (v) => v.join(" "),
  fromToml: textOrWords,
  toToml: (v) => tomlString(v.join(" ")),
};

/** Prints a percentile as C's `%f` with trailing zeros removed. */
function formatPercentile(p: number): string {
  return p.toFixed(6).replace(/\.?0+$/, "");
}

/** `latency-tracking-info-percentiles`: numbers between 0 and 100, or `""` for none. */
export const latencyTrackingPercentilesKey: ConfigKeySpec<readonly number[]> = {
  name: "latency-tracking-info-percentiles",
  default: [50, 99, 99.9],
  mutable: true,
  multiArg: true,
  alwaysRewrite: true,
  expected: 'numbers between 0.0 and 100.0, or "" for none',
  parse(text) {
    return words(text).map((x) => {
      const p = parseDouble(x);
      if (p === null) {
        throw new ConfigValueError("Invalid latency-tracking-info-percentiles parameters");
      }
      if (p > 100 || p < 0) {
        throw new ConfigValueError(
          "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
        );
      }
      return p;
    });
  },
  format: (v) => v.map(formatPercentile).join(" "),
  fromToml: textOrWords,
  toToml(v) {
    return tomlString(this.format(v));
  },
  rewriteArgs(v) {
    return [v.length === 0 ? '""' : this.format(v)];
  },
};
