/** The sweeps in the runs folder, newest first, each linking to its page; shown above the runs list when there are any. */
import type { SweepManifest } from "../../lib/sweep/manifest.ts";
import { formatTimestamp } from "../shared/format.ts";
import { StatusBadge } from "./status_badge.tsx";

export function SweepList({ sweeps }: { sweeps: SweepManifest[] }) {
  return (
    <table class="runs sweeps" data-testid="sweeps">
      <thead>
        <tr>
          <th>sweep</th>
          <th>status</th>
          <th>search</th>
          <th>trials</th>
          <th>started</th>
        </tr>
      </thead>
      <tbody>
        {sweeps.map((sweep) => {
          const count = (status: string) => sweep.trials.filter((t) => t.status === status).length;
          const failed = count("failed");
          return (
            <tr key={sweep.id} data-sweep={sweep.id}>
              <td>
                <a href={`/sweeps/${encodeURIComponent(sweep.id)}`}>{sweep.lab}</a>
                <div class="dim mono small">{sweep.id}</div>
              </td>
              <td>
                <StatusBadge status={sweep.status} />
              </td>
              <td class="small">
                {sweep.search.kind}, {sweep.settings.length} settings x {sweep.seeds.length} seeds
                {sweep.halving ? `, halving over --${sweep.halving.flag}` : ""}
              </td>
              <td class="mono small">
                {count("done")}/{sweep.trials.length} done{failed ? `, ${failed} failed` : ""}
              </td>
              <td class="mono small">{formatTimestamp(sweep.createdAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
