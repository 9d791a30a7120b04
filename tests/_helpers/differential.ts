/**
 * Differential testing against redis-server 7.0: send the same commands to
 * Cairn and to Redis, one by one, and compare the replies exactly (type and
 * bytes).
 *
 * Some replies legitimately differ in order (SMEMBERS, HGETALL on a
 * hashtable, KEYS) or are random (SPOP, RANDOMKEY): a command can be marked
 * to compare its reply as an unordered collection, or to compare only the
 * reply type and size.
 *
 * @module
 */

import type { RespClient } from "./resp_client.ts";
import type { Reply } from "./resp_client.ts";
import { requireRedis, startRedis, startTestServer } from "./servers.ts";

/** How to compare the replies of one command. */
export type CompareMode =
  /** Identical replies. */
  | "exact"
  /** Same multiset of elements (arrays, sets, maps compared as unordered). */
  | "unordered"
  /** Same reply type and element count only (random results). */
  | "shape";

/** A command to send to both servers, with how to compare its replies. */
export interface DiffStep {
  /** The command and its arguments. */
  args: (string | number)[];
  /** Comparison; default "exact". */
  mode?: CompareMode;
}

/** One difference found. */
export interface Mismatch {
  /** Position of the command in the sequence. */
  index: number;
  /** The command. */
  args: (string | number)[];
  /** Cairn's reply. */
  cairn: Reply;
  /** Redis's reply. */
  redis: Reply;
}

/**
 * Runs `steps` against a fresh Cairn and a fresh redis-server (both with
 * `config`, given as redis.conf directives) and returns every mismatch.
 * Returns null when redis-server is not installed outside CI.
 */
export async function diffAgainstRedis(
  steps: readonly DiffStep[],
  config: Record<string, string> = {},
): Promise<Mismatch[] | null> {
  if (!requireRedis()) return null;
  await using cairn = await startTestServer({ ...config, "enable-debug-command": "yes" });
  await using redis = await startRedis(config);
  const a = await cairn.client();
  const b = await redis.client();
  return await diffOnClients(a, b, steps);
}

/** Like {@link diffAgainstRedis} on clients already connected (for multi-client scenarios). */
export async function diffOnClients(
  cairn: RespClient,
  redis: RespClient,
  steps: readonly DiffStep[],
): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const [x, y] = await Promise.all([cairn.send(...step.args), redis.send(...step.args)]);
    if (!sameReply(x, y, step.mode ?? "exact")) {
      mismatches.push({ index: i, args: step.args, cairn: x, redis: y });
    }
  }
  return mismatches;
}

/** Compares two replies under `mode`. */
export function sameReply(x: Reply, y: Reply, mode: CompareMode): boolean {
  if (mode === "exact") return canonical(x, false) === canonical(y, false);
  if (mode === "unordered") return canonical(x, true) === canonical(y, true);
  return shapeOf(x) === shapeOf(y);
}

function canonical(r: Reply, unordered: boolean): string {
  switch (r.type) {
    case "array":
    case "set":
    case "push": {
      const items = r.value.map((v) => canonical(v, unordered));
      if (unordered) items.sort();
      return `${r.type}[${items.join(",")}]`;
    }
    case "map": {
      const items = r.value.map(([k, v]) =>
        canonical(k, unordered) + "=>" + canonical(v, unordered)
      );
      if (unordered) items.sort();
      return `map{${items.join(",")}}`;
    }
    case "null":
    case "nullarray":
      return r.type;
    case "attribute":
      return canonical(r.reply, unordered);
    case "integer":
      return `integer:${r.value}`;
    case "verbatim":
      return `verbatim:${r.format}:${JSON.stringify(r.value)}`;
    default:
      return `${r.type}:${JSON.stringify(r.value)}`;
  }
}

function shapeOf(r: Reply): string {
  switch (r.type) {
    case "array":
    case "set":
    case "push":
    case "map":
      return `${r.type}/${r.value.length}`;
    default:
      return r.type;
  }
}

/** Formats mismatches for an assertion message. */
export function describeMismatches(mismatches: readonly Mismatch[], limit = 10): string {
  return mismatches.slice(0, limit).map((m) =>
    `#${m.index} ${m.args.map((a) => JSON.stringify(String(a))).join(" ")}\n` +
    `  cairn: ${canonical(m.cairn, false)}\n  redis: ${canonical(m.redis, false)}`
  ).join("\n") + (mismatches.length > limit ? `\n... and ${mismatches.length - limit} more` : "");
}

export { seededRandom } from "./random.ts";
