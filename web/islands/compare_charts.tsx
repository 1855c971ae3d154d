/// <reference lib="dom" />
/**
 * Several runs overlaid, one chart per scalar key that any of them logged, one colour per run,
 * each curve smoothed on its own full series. Live through one multiplexed stream whose ids
 * carry every run's cursor, so a reconnect resumes each run exactly where it was. The reference
 * curves of the runs' labs are drawn dashed on the charts of their keys, on the step axis.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { byGroup, ChartModels } from "../client/chart_models.ts";
import { consume, liveFeed } from "../client/live_feed.ts";
import { type ChartSettings, loadSettings, saveSettings } from "../client/run_feed.ts";
import { ChartControls } from "../components/chart_controls.tsx";
import { LineChart } from "../components/line_chart.tsx";
import { ReferenceLegend } from "../components/reference_legend.tsx";
import { chartReferences } from "../client/reference_lines.ts";
import type { ReferenceCurve } from "../shared/reference_curves.ts";
import { namespaceOf } from "../shared/format.ts";
import type { RunEvent, ScalarsPayload } from "../shared/payloads.ts";
import { formatSmoothing } from "../shared/smoothing.ts";

export const RUN_COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

export interface CompareChartsProps {
  runs: { id: string; lab: string; label: string }[];
  payloads: ScalarsPayload[];
  /** the multi-run cursor the payloads were cut at: "runA@12,runB@40" */
  cursor: string;
  /** each lab's reference curves, by lab id */
  references: Record<string, ReferenceCurve[]>;
}

export default function CompareCharts({ runs, payloads, cursor, references }: CompareChartsProps) {
  const ids = runs.map((r) => r.id);
  const feed = useMemo(
    () => liveFeed(`/api/compare/live?runs=${ids.map(encodeURIComponent).join(",")}&after=${cursor}`),
    [],
  );
  const models = useRef(new Map(payloads.map((p) => [p.runId, new ChartModels(p)])));
  const consumed = useRef(0);
  const [settings, setSettings] = useState<ChartSettings>({ smoothing: payloads[0].smoothing, axis: "step" });
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
        const query = `until=${old.lastSeq}&smoothing=${formatSmoothing(next.smoothing)}`;
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

  const keys = [...new Set([...models.current.values()].flatMap((m) => [...m.models.keys()]))].sort();
  const groups = [...new Set(keys.map(namespaceOf))].sort(byGroup);
  const lines = runs.map((run, i) => ({ label: run.label, color: RUN_COLORS[i % RUN_COLORS.length] }));
  // Several labs' references are told apart by their lab's name; each is placed on the steps of its lab's first run.
  const labs = Object.keys(references);
  const refs = labs.flatMap((lab) =>
    references[lab].map((curve) => ({
      lab,
      curve: labs.length > 1 ? { ...curve, label: `${lab}: ${curve.label}` } : curve,
    }))
  );
  const allCurves = refs.map((r) => r.curve);
  const epochsOf = (lab: string) => models.current.get(runs.find((r) => r.lab === lab)!.id)?.models.get("epoch");
  const chartRefs = (key: string) =>
    settings.axis === "step"
      ? refs.flatMap(({ lab, curve }) => chartReferences([curve], key, epochsOf(lab), allCurves))
      : [];
  const data = (key: string) => () => {
    const tables = ids.map((id) => {
      const runModels = models.current.get(id)!, model = runModels.models.get(key);
      return (model ? [model.xs(settings.axis, runModels.startTime), model.smooth] : [[], []]) as uPlot.AlignedData;
    });
    return uPlot.join(tables);
  };
  return (
    <div class="scalars">
      <ChartControls settings={settings} onChange={change} />
      <div class="legend">
        {lines.map((l) => (
          <span key={l.label}>
            <i style={{ background: l.color }} />
            {l.label}
          </span>
        ))}
      </div>
      {groups.map((group) => (
        <details open class="group" key={group}>
          <summary>{group}</summary>
          <div class="chart-grid">
            {keys.filter((k) => namespaceOf(k) === group).map((key) => (
              <div class="chart-card" key={key} data-key={key}>
                <LineChart
                  title={key}
                  lines={lines}
                  data={data(key)}
                  version={`${epoch}:${version}`}
                  axis={settings.axis}
                  legend={false}
                  references={chartRefs(key)}
                />
                <ReferenceLegend shown={allCurves.filter((c) => c.metric === key)} all={allCurves} />
              </div>
            ))}
          </div>
        </details>
      ))}
    </div>
  );
}
