/** A run's status as a coloured pill; used by pages and islands alike. */
import type { RunStatus } from "../../lib/run/types.ts";

export function StatusBadge({ status }: { status: RunStatus | "resumed" }) {
  const shown = status === "resumed" ? "running" : status;
  return <span class={`badge status-${shown}`} data-status={shown}>{shown}</span>;
}
