/// <reference lib="dom" />
/**
 * Several runs overlaid, one chart per scalar key that any of them logged. Runs that share a
 * setting (web/shared/seed_groups.ts) are drawn as one curve per group with its band
 * (web/client/seed_curves.ts), and RL runs get the seeds' aggregate table; runs that share
 * nothing keep a colour each. Every curve is smoothed on its own full series. The reference
 * curves of the runs' labs are drawn dashed on the charts of their keys, on the step axis, after
 * the runs' lines. Live through one multiplexed stream whose ids carry every run's cursor, so a
 * reconnect resumes each run exactly.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { byGroup, ChartModels } from "../client/chart_models.ts";
import { consume, liveFeed } from "../client/live_feed.ts";
import { type ChartSettings, loadSettings, saveSettings } from "../client/run_feed.ts";
import { compareReferences } from "../client/reference_lines.ts";
import { groupedChart, Memo, seedLayout } from "../client/seed_curves.ts";
import { ChartControls } from "../components/chart_controls.tsx";
import { LineChart } from "../components/line_chart.tsx";
import { ReferenceLegend } from "../components/reference_legend.tsx";
import { RlAggregateTable } from "../components/rl_aggregate_table.tsx";
import { SeedControls } from "../components/seed_controls.tsx";
import type { ReferenceCurve } from "../shared/reference_curves.ts";
import { namespaceOf } from "../shared/format.ts";
import type { RunEvent, ScalarsPayload } from "../shared/payloads.ts";
import { EVAL_KEY, groupScores } from "../shared/rl_aggregates.ts";
import { type GroupableRun, varyingFlags } from "../shared/seed_groups.ts";
import { type SeedView, withSeedView } from "../shared/seed_view.ts";
import { formatSmoothing } from "../shared/smoothing.ts";

export const RUN_COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

export interface CompareChartsProps {
  runs: (GroupableRun & { label: string })[];
  payloads: ScalarsPayload[];
  /** the multi-run cursor the payloads were cut at: "runA@12,runB@40" */
  cursor: string;
  /** points per series the payloads were downsampled to; a refetch asks for as many */
  points: number;
  view: SeedView;
  /** each lab's reference curves, by lab id */
  references: Record<string, ReferenceCurve[]>;
}

export default function CompareCharts(
  { runs, payloads, cursor, points, view: firstView, references }: CompareChartsProps,
) {
  const ids = runs.map((r) => r.id);
  const feed = useMemo(
    () => liveFeed(`/api/compare/live?runs=${ids.map(encodeURIComponent).join(",")}&after=${cursor}`),
    [],
  );
  const models = useRef(new Map(payloads.map((p) => [p.runId, new ChartModels(p)])));
  const memo = useRef(new Memo()).current;
  const consumed = useRef(0);
  const [settings, setSettings] = useState<ChartSettings>({ smoothing: payloads[0].smoothing, axis: "step" });
  const [view, setView] = useState(firstView);
  const [epoch, setEpoch] = useState(0);
  const version = feed.version.value;
  const apply = (target: Map<string, ChartModels>) => (m: { data: unknown }) => {
    const { run, event } = m.data as { run: string; event: RunEvent };
    target.get(run)?.apply(event);
  };

  // Applied while rendering, so the charts' setData (a child effect, run first) sees this batch.
  consumed.current = consume(feed, consumed.current, apply(models.current));
  useEffect(() => void change(loadSettings()), []);

  async function change(next: ChartSettings) {
    saveSettings(next);
    if (formatSmoothing(next.smoothing) !== formatSmoothing([...models.current.values()][0].smoothing)) {
      const fresh = new Map<string, ChartModels>();
      for (const [id, old] of models.current) {
        const query = `until=${old.lastSeq}&smoothing=${formatSmoothing(next.smoothing)}&points=${points}`;
        const response = await fetch(`/api/runs/${encodeURIComponent(id)}/scalars?${query}`);
        if (!response.ok) return;
        fresh.set(id, new ChartModels(await response.json()));
      }
      consume(feed, 0, apply(fresh));
      models.current = fresh;
      setEpoch((e) => e + 1);
    }
    setSettings(next);
  }
  const changeView = (next: SeedView) => {
    setView(next);
    history.replaceState(null, "", withSeedView(location.href, next));
  };
  const model = (id: string, key: string) => models.current.get(id)!.models.get(key);
  const curve = (id: string, key: string) => {
    const m = model(id, key);
    return m ? { x: m.xs(settings.axis, models.current.get(id)!.startTime), y: m.smooth } : null;
  };
  const { groups, grouped, counts, legend, chartGroups, lines, bands, apart } = seedLayout(runs, {
    view,
    colors: RUN_COLORS,
  });
  const chartOf = (key: string) => {
    if (typeof document === "undefined") return { data: [[]] as uPlot.AlignedData, notes: [] }; // the server draws no charts
    const curves = groups.map((g) => g.runIds.map((id) => curve(id, key)));
    if (!grouped) {
      const data = uPlot.join(curves.flat().map((c) => (c ? [c.x, c.y] : [[], []]) as uPlot.AlignedData));
      return { data, notes: [] };
    }
    const inputs = [view, settings.axis, epoch, ids.map((id) => model(id, key)?.seq ?? 0)];
    return memo.get(`chart ${key}`, inputs, () => groupedChart(chartGroups, curves, { view, axis: settings.axis }));
  };
  const evalInputs = [view.groupBy, ids.map((id) => model(id, EVAL_KEY)?.seq ?? 0)];
  const scores = memo.get("scores", evalInputs, () => groupScores(groups, (id) => model(id, EVAL_KEY)));

  const keys = [...new Set([...models.current.values()].flatMap((m) => [...m.models.keys()]))].sort();
  const labRefs = compareReferences(references);
  // Each lab's references are placed on the steps of its first run.
  const epochsOf = (lab: string) => model(runs.find((r) => r.lab === lab)!.id, "epoch");
  return (
    <div class="scalars">
      <ChartControls settings={settings} onChange={change} />
      <SeedControls flags={varyingFlags(runs)} view={view} onChange={changeView} />
      <div class="legend" data-testid="compare-legend">
        {legend.map((l) => (
          <span key={l.label}>
            <i style={{ background: l.color }} />
            {l.label}
          </span>
        ))}
      </div>
      {apart.map((why) => <p key={why} class="small dim" data-testid="apart-note">{why}</p>)}
      {scores.length > 0 && (
        <RlAggregateTable
          rows={scores}
          counts={counts}
          seedNames={Object.fromEntries(runs.map((r) => [r.id, `seed ${r.config.seed ?? "?"}`]))}
        />
      )}
      {[...new Set(keys.map(namespaceOf))].sort(byGroup).map((group) => (
        <details open class="group" key={group}>
          <summary>{group}</summary>
          <div class="chart-grid">
            {keys.filter((k) => namespaceOf(k) === group).map((key) => {
              const { data, notes } = chartOf(key);
              return (
                <div class="chart-card" key={key} data-key={key}>
                  <LineChart
                    title={key}
                    lines={lines}
                    bands={bands}
                    data={() => data}
                    version={`${epoch}:${version}:${JSON.stringify(view)}`}
                    axis={settings.axis}
                    legend={false}
                    references={settings.axis === "step" ? labRefs.forKey(key, epochsOf) : []}
                  />
                  <ReferenceLegend shown={labRefs.all.filter((c) => c.metric === key)} all={labRefs.all} />
                  {notes.map((note) => <p key={note} class="chart-note small dim" data-testid="chart-note">{note}</p>)}
                </div>
              );
            })}
          </div>
        </details>
      ))}
    </div>
  );
}
