/** A run's status as a coloured pill; used by pages and islands alike. */
import type { ListedStatus } from "../shared/runs_query.ts";

export function StatusBadge({ status }: { status: ListedStatus | "resumed" }) {
  const shown = status === "resumed" ? "running" : status;
  return <span class={`badge status-${shown}`} data-status={shown}>{shown}</span>;
}
