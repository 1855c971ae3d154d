/// <reference lib="dom" />
/**
 * One page of the runs list, as the URL's query asks (filters, sort, page; web/shared/runs_query.ts),
 * kept current by the runs stream: the server sends the page again whenever it changes, so new
 * runs appear, running ones advance and finished ones settle without a reload. The settings that
 * differ among the matching runs get a column each. Ticked runs stay ticked across pages (in
 * the tab's session storage) until Compare overlays their curves.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { consume, liveFeed } from "../client/live_feed.ts";
import { ProgressBar } from "../components/progress_bar.tsx";
import { RunsFilters } from "../components/runs_filters.tsx";
import { RunsPager } from "../components/runs_pager.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import { formatTimestamp, formatValue } from "../shared/format.ts";
import type { RunsPage } from "../shared/payloads.ts";
import { formatRunsQuery } from "../shared/runs_query.ts";

interface Props {
  page: RunsPage;
  /** the page the filters and links lead to: "/" or "/compare" */
  base?: string;
  selecting?: boolean;
  /** why the URL's query was not understood (the page then shows every run) */
  error?: string;
}

export default function RunsTable({ page: initial, base = "/", selecting, error }: Props) {
  const feed = useMemo(() => liveFeed(`/api/live?${formatRunsQuery(initial.query)}`, ["page"]), []);
  const consumed = useRef(0);
  const [page, setPage] = useState(initial);
  const [selected, setSelected] = useSelection();
  const version = feed.version.value;

  useEffect(() => {
    let next = page;
    consumed.current = consume(feed, consumed.current, ({ type, data }) => {
      if (type === "page") next = data as RunsPage;
    });
    if (next !== page) setPage(next);
  }, [version]);

  const { query, runs, columns } = page;
  const href = (patch: Partial<typeof query>) => `${base}?${formatRunsQuery(query, patch)}`;
  const sortLink = (sort: string, label: string) => {
    const active = query.sort === sort;
    const order = active ? (query.order === "asc" ? "desc" : "asc") : sort === "created" ? "desc" : "asc";
    return <a href={href({ sort, order, page: 1 })} class={active ? `sorted ${query.order}` : ""}>{label}</a>;
  };
  const toggle = (id: string) =>
    setSelected(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id]);
  const allTicked = runs.length > 0 && runs.every((run) => selected.includes(run.id));
  const tickPage = () =>
    setSelected(
      allTicked ? selected.filter((id) => !runs.some((r) => r.id === id)) : [
        ...new Set([...selected, ...runs.map((r) => r.id)]),
      ],
    );
  if (!page.all) {
    return (
      <p class="empty">
        No runs yet. Start one with <code>deno task lab vae-mnist</code>; it appears here live.
      </p>
    );
  }
  return (
    <div>
      <RunsFilters page={page} base={base} />
      {error && <p class="error" data-testid="query-error">{error}</p>}
      <div class="controls">
        <a
          class={selected.length > 1 ? "button" : "button disabled"}
          href={selected.length > 1 ? `/compare?runs=${selected.map(encodeURIComponent).join(",")}` : undefined}
          data-testid="compare"
        >
          Compare {selected.length > 1 ? selected.length : ""} runs
        </a>
        {selected.length > 0 && <button type="button" onClick={() => setSelected([])}>untick all</button>}
        <span class="dim" data-testid="counts">
          {page.total === page.all ? `${page.all} runs` : `${page.total} of ${page.all} runs match`}
          {selecting ? ". Tick two or more runs to overlay their curves." : ""}
        </span>
      </div>
      {!runs.length
        ? (
          <p class="empty">
            No run matches. <a href={base}>Show every run</a>.
          </p>
        )
        : (
          <table class="runs" data-testid="runs">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    checked={allTicked}
                    onChange={tickPage}
                    aria-label="tick every run on this page"
                  />
                </th>
                <th>{sortLink("lab", "run")}</th>
                <th>{sortLink("status", "status")}</th>
                <th>backend</th>
                <th>{sortLink("created", "started")}</th>
                <th>{sortLink("step", "progress")}</th>
                <th>{sortLink("headline", "headline")}</th>
                {columns.config.map((key) => <th key={key} class="mono">{sortLink(`config.${key}`, key)}</th>)}
                {columns.metrics.map((key) => <th key={key} class="mono">{sortLink(`metric.${key}`, key)}</th>)}
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
                    {run.status === "malformed"
                      ? run.lab
                      : <a href={`/runs/${encodeURIComponent(run.id)}`}>{run.lab}</a>}
                    {run.sweep && (
                      <a
                        class="small sweep-tag"
                        href={`/sweeps/${encodeURIComponent(run.sweep.id)}`}
                        title={run.sweep.id}
                      >
                        sweep trial {run.sweep.trial}
                      </a>
                    )}
                    <div class="dim mono small">{run.id}</div>
                    {run.notes && <div class="small notes">{run.notes}</div>}
                  </td>
                  <td title={run.error}>
                    <StatusBadge status={run.status} />
                    {run.status === "malformed" && <div class="small error">{run.error}</div>}
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
                  {columns.config.map((key) => <td key={key} class="mono">{cell(run.config[key])}</td>)}
                  {columns.metrics.map((key) => <td key={key} class="mono">{formatValue(run.metrics[key])}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <RunsPager page={page} href={href} />
    </div>
  );
}

const cell = (value: unknown) =>
  typeof value === "number" ? formatValue(value) : value === undefined ? "–" : String(value);

const SELECTION_KEY = "tflab-selected-runs";

/** The ticked run ids, kept in the tab's session storage so that paging and filtering keep them. */
function useSelection(): [string[], (ids: string[]) => void] {
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => {
    const stored = JSON.parse(sessionStorage.getItem(SELECTION_KEY) ?? "[]");
    if (Array.isArray(stored) && stored.length) setSelected(stored);
  }, []);
  const update = (ids: string[]) => {
    setSelected(ids);
    sessionStorage.setItem(SELECTION_KEY, JSON.stringify(ids));
  };
  return [selected, update];
}
