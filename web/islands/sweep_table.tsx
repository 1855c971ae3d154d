/// <reference lib="dom" />
/**
 * A sweep's settings, best first: each swept value, the headline's mean ± std over the seeds
 * (with n, the budget reached under halving, failures), and a link to every trial's run. A click
 * on a column heading sorts by it; ticking settings and pressing Compare overlays their runs.
 */
import { useState } from "preact/hooks";
import { formatMeanStd, type SettingRow } from "../../lib/sweep/report.ts";

export interface SweepTableProps {
  flags: string[];
  headline: string;
  better: "higher" | "lower";
  budgetFlag?: string;
  /** best first, as the report ranks them */
  rows: SettingRow[];
}

type Column = "rank" | "mean" | "n" | "budget" | `flag:${string}`;

export default function SweepTable({ flags, headline, better, budgetFlag, rows }: SweepTableProps) {
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: "rank", descending: false });
  const [selected, setSelected] = useState<string[]>([]);
  const rank = new Map(rows.map((row, i) => [row.setting, i + 1]));
  const key = (row: SettingRow): number | string | null => {
    if (sort.column === "rank") return rank.get(row.setting)!;
    if (sort.column === "mean") return row.mean;
    if (sort.column === "n") return row.n;
    if (sort.column === "budget") return row.budget ?? null;
    const value = row.values[sort.column.slice(5)];
    return typeof value === "boolean" ? String(value) : value ?? null;
  };
  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0); // missing values last
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return sort.descending ? -order : order;
  });
  const heading = (column: Column, label: string) => (
    <th
      data-sort={column}
      class="sortable"
      onClick={() => setSort({ column, descending: sort.column === column ? !sort.descending : false })}
    >
      {label}
      {sort.column === column ? (sort.descending ? " ▼" : " ▲") : ""}
    </th>
  );
  const runs = sorted.filter((r) => selected.includes(r.setting)).flatMap((r) => r.trials.flatMap((t) => t.run ?? []));
  const comparable = runs.length > 1;
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <div>
      <div class="controls">
        <a
          class={comparable ? "button" : "button disabled"}
          href={comparable ? `/compare?runs=${runs.map(encodeURIComponent).join(",")}` : undefined}
          data-testid="compare-settings"
        >
          Compare {runs.length || ""} runs
        </a>
        <span class="dim">
          Tick settings to compare their runs (seeds of a setting drawn as one curve); click a heading to sort.
        </span>
      </div>
      <table class="runs" data-testid="settings">
        <thead>
          <tr>
            <th />
            {heading("rank", "#")}
            <th>setting</th>
            {flags.map((flag) => heading(`flag:${flag}`, flag))}
            {heading("mean", `${headline} (${better} is better)`)}
            {heading("n", "n")}
            {budgetFlag && heading("budget", `--${budgetFlag}`)}
            <th>runs (by seed)</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.setting} data-setting={row.setting}>
              <td>
                <input
                  type="checkbox"
                  checked={selected.includes(row.setting)}
                  onChange={() => toggle(row.setting)}
                  aria-label={`select ${row.setting}`}
                />
              </td>
              <td class="mono">{rank.get(row.setting)}</td>
              <td class="mono">{row.setting}</td>
              {flags.map((flag) => <td key={flag} class="mono">{String(row.values[flag] ?? "")}</td>)}
              <td class="mono" data-testid="mean">
                <b>{formatMeanStd(row)}</b>
                {row.failed > 0 && <span class="status-failed badge">{row.failed} failed</span>}
              </td>
              <td class="mono">{row.n}</td>
              {budgetFlag && <td class="mono">{row.budget}{row.stopped ? " (stopped)" : ""}</td>}
              <td class="mono small seeds">
                {row.trials.map((t) =>
                  t.run
                    ? <a key={t.id} href={`/runs/${encodeURIComponent(t.run)}`} title={t.status}>{t.seed}</a>
                    : <span key={t.id} class="dim" title={t.status}>{t.seed}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
