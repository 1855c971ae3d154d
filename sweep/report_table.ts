/** A sweep report as a plain-text table: one row per setting, best first. */
import { formatMeanStd, type SweepReport } from "../lib/sweep/report.ts";

export function formatReport(report: SweepReport): string {
  const flags = [...new Set(report.rows.flatMap((r) => Object.keys(r.values)))];
  const header = ["#", "setting", ...flags, `${report.headline} (${report.better} is better)`, "n"];
  if (report.budgetFlag) header.push(`--${report.budgetFlag}`);
  const anyFailed = report.rows.some((r) => r.failed), anyOpen = report.rows.some((r) => r.open);
  if (anyFailed) header.push("failed");
  if (anyOpen) header.push("to run");
  const rows = report.rows.map((row, i) => {
    const cells = [String(i + 1), row.setting, ...flags.map((f) => String(row.values[f] ?? "")), formatMeanStd(row)];
    cells.push(String(row.n));
    if (report.budgetFlag) cells.push(`${row.budget}${row.stopped ? " (stopped)" : ""}`);
    if (anyFailed) cells.push(String(row.failed));
    if (anyOpen) cells.push(String(row.open));
    return cells;
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
