/**
 * Directive names beyond the key table: the redis.conf directives that are
 * not configuration keys, and "did you mean" suggestions for misspellings.
 *
 * @module
 */

import { distance } from "fastest-levenshtein";

/**
 * redis.conf directives that are not config keys (Redis handles them only
 * while reading a file). `include` is read by the loaders; the others are
 * accepted with a warning, since Cairn has no such feature.
 */
export const FILE_ONLY_DIRECTIVES: Readonly<Record<string, string>> = {
  "include": "",
  "rename-command": "renaming commands is not implemented",
  "user": "ACL users are not implemented (use requirepass)",
  "loadmodule": "Cairn cannot load Redis modules (see the plugins key)",
  "sentinel": "Sentinel is not implemented",
};

/**
 * ` (did you mean "port"?)` when a name in `candidates` is close to `name`,
 * else the empty string. Close means a small edit distance for the length,
 * so unrelated words get no suggestion.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(wanted, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? ` (did you mean "${best}"?)` : "";
}
