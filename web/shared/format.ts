/** Number, size, duration and time formatting for tables and chart axes, the same on both sides. */

export { formatValue } from "../../lib/format_value.ts"; // shared with the sweep's report

/** An axis tick: short, with SI suffixes for large magnitudes (39.1M, 8.5k), `digits` significant digits. */
export function formatTick(value: number, digits = 3): string {
  const magnitude = Math.abs(value);
  // Thousands only from 10k: 2000 reads better than 2k, 12.5k better than 12500.
  for (const [from, unit, suffix] of [[1e9, 1e9, "G"], [1e6, 1e6, "M"], [1e4, 1e3, "k"]] as const) {
    if (magnitude >= from) return `${Number((value / unit).toPrecision(digits))}${suffix}`;
  }
  if (magnitude !== 0 && magnitude < 1e-3) return value.toExponential(Math.max(1, digits - 2));
  return String(Number(value.toPrecision(Math.max(digits, 4))));
}

/** Ticks with as few digits as keep them apart: a narrow range (7.839M..7.841M) gets more. */
export function formatTicks(ticks: number[]): string[] {
  for (let digits = 3; digits < 10; digits++) {
    const labels = ticks.map((t) => formatTick(t, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return ticks.map(String);
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes, unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

/** 42s, 3m05s, 2h07m */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** "2024-05-01 13:04" in the viewer's zone; stable across server and browser for hydration. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${
    pad(date.getUTCHours())
  }:${pad(date.getUTCMinutes())} UTC`;
}

/** "train/loss" -> "train"; keys without a namespace share "other". */
export const namespaceOf = (key: string): string => (key.includes("/") ? key.slice(0, key.indexOf("/")) : "other");
