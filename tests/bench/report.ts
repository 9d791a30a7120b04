/**
 * Benchmark rows and their printing: every figure is reported for Cairn and
 * for redis-server measured in the same run, with the ratio Cairn/Redis.
 *
 * @module
 */

/** One measured figure. */
export interface Row {
  /** Suite name (`throughput`, `memory`, ...). */
  suite: string;
  /** What was measured, with its unit (`SET P16 ops/s`, `RSS bytes/key`). */
  metric: string;
  /** Cairn's value. */
  cairn: number;
  /** Redis's value. */
  redis: number;
  /** Whether a higher value is better (ops/s) or lower (bytes, ms). */
  higherIsBetter: boolean;
  /** Target for the ratio Cairn/Redis, when the issue sets one. */
  target?: string;
}

/** Ratio Cairn/Redis. */
export function ratio(row: Row): number {
  return row.cairn / row.redis;
}

/** Formats rows as an aligned text table. */
export function formatTable(rows: readonly Row[]): string {
  const lines = [["suite", "metric", "cairn", "redis", "cairn/redis", "target"]];
  for (const r of rows) {
    lines.push([
      r.suite,
      r.metric,
      formatNumber(r.cairn),
      formatNumber(r.redis),
      Number.isFinite(ratio(r)) ? ratio(r).toFixed(2) + "x" : "-",
      r.target ?? "",
    ]);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n");
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return n.toPrecision(4);
}
