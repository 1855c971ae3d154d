/// <reference lib="dom" />
/**
 * Every run in the runs directory, newest first, kept current by the runs stream: new runs
 * appear, running ones advance, finished ones settle, without a reload. Ticking runs and
 * pressing Compare overlays their curves.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { consume, liveFeed } from "../client/live_feed.ts";
import { ProgressBar } from "../components/progress_bar.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import { formatTimestamp, formatValue } from "../shared/format.ts";
import type { RunSummary } from "../shared/payloads.ts";

export default function RunsTable({ runs: initial, selecting }: { runs: RunSummary[]; selecting?: boolean }) {
  const feed = useMemo(() => liveFeed("/api/live", ["runs", "run", "removed"]), []);
  const consumed = useRef(0);
  const [runs, setRuns] = useState(initial);
  const [selected, setSelected] = useState<string[]>([]);
  const version = feed.version.value;

  useEffect(() => {
    let next = runs;
    consumed.current = consume(feed, consumed.current, ({ type, data }) => {
      if (type === "runs") next = data as RunSummary[];
      if (type === "run") {
        const run = data as RunSummary;
        next = [run, ...next.filter((r) => r.id !== run.id)].sort(newestFirst);
      }
      if (type === "removed") next = next.filter((r) => r.id !== data);
    });
    if (next !== runs) setRuns(next);
  }, [version]);

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const compareHref = `/compare?runs=${selected.map(encodeURIComponent).join(",")}`;
  if (!runs.length) {
    return (
      <p class="empty">
        No runs yet. Start one with <code>deno task lab vae-mnist</code>; it appears here live.
      </p>
    );
  }
  return (
    <div>
      <div class="controls">
        <a
          class={selected.length > 1 ? "button" : "button disabled"}
          href={selected.length > 1 ? compareHref : undefined}
          data-testid="compare"
        >
          Compare {selected.length > 1 ? selected.length : ""} runs
        </a>
        <span class="dim">{selecting ? "Tick two or more runs to overlay their curves." : `${runs.length} runs`}</span>
      </div>
      <table class="runs" data-testid="runs">
        <thead>
          <tr>
            <th />
            <th>run</th>
            <th>status</th>
            <th>backend</th>
            <th>started</th>
            <th>progress</th>
            <th>headline</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run={run.id}>
              <td>
                <input
                  type="checkbox"
                  checked={selected.includes(run.id)}
                  onChange={() => toggle(run.id)}
                  aria-label={`select ${run.id}`}
                />
              </td>
              <td>
                <a href={`/runs/${encodeURIComponent(run.id)}`}>{run.lab}</a>
                {run.sweep && (
                  <a class="small sweep-tag" href={`/sweeps/${encodeURIComponent(run.sweep.id)}`} title={run.sweep.id}>
                    sweep trial {run.sweep.trial}
                  </a>
                )}
                <div class="dim mono small">{run.id}</div>
              </td>
              <td title={run.error}>
                <StatusBadge status={run.status} />
              </td>
              <td class="mono" title={run.adapter}>{run.backend}</td>
              <td class="mono small">{formatTimestamp(run.createdAt)}</td>
              <td>
                <ProgressBar step={run.step} total={run.totalSteps} />
              </td>
              <td class="mono">
                <span class="dim">{run.headline}</span>{" "}
                <b data-testid="headline-value">{formatValue(run.headlineValue)}</b>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const newestFirst = (a: RunSummary, b: RunSummary) =>
  b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
