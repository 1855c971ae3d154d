/**
 * Every scalar key of a run as a live chart, grouped by namespace (train/, eval/, system/...).
 * History comes in the props (downsampled and smoothed on the server); live points come from
 * the page's feed. Changing the smoothing refetches history smoothed on the full series, cut at
 * the last event already applied, and replays the live events on top: no gap, no duplicate.
 * The lab's reference curves are drawn dashed on the charts of their keys, on the step axis.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ChartModels } from "../client/chart_models.ts";
import { consume } from "../client/live_feed.ts";
import { type ChartSettings, loadSettings, runFeed, saveSettings } from "../client/run_feed.ts";
import type { SeriesModel } from "../client/series_model.ts";
import { ChartControls } from "../components/chart_controls.tsx";
import { LineChart } from "../components/line_chart.tsx";
import { ReferenceLegend } from "../components/reference_legend.tsx";
import { chartReferences } from "../client/reference_lines.ts";
import type { ReferenceCurve } from "../shared/reference_curves.ts";
import { formatValue } from "../shared/format.ts";
import type { RunEvent, ScalarsPayload } from "../shared/payloads.ts";
import { formatSmoothing } from "../shared/smoothing.ts";

export interface ScalarChartsProps {
  runId: string;
  generation: string;
  scalars: ScalarsPayload;
  /** the lab's reference curves (references/<lab-id>.json) */
  references: ReferenceCurve[];
}

export default function ScalarCharts({ runId, generation, scalars, references }: ScalarChartsProps) {
  const feed = useMemo(() => runFeed(runId, scalars.cursor, generation), []);
  const models = useRef(new ChartModels(scalars));
  const consumed = useRef(0);
  const [settings, setSettings] = useState<ChartSettings>({ smoothing: scalars.smoothing, axis: "step" });
  const [epoch, setEpoch] = useState(0);
  const version = feed.version.value;
  // Live events are applied while rendering, not in an effect: the charts' own effects (setData)
  // run before their parent's, so an effect here would draw every batch one batch late.
  consumed.current = consume(feed, consumed.current, (m) => models.current.apply(m.data as RunEvent));

  useEffect(() => {
    const saved = loadSettings();
    if (formatSmoothing(saved.smoothing) !== formatSmoothing(settings.smoothing) || saved.axis !== settings.axis) {
      change(saved);
    }
    // A debugging and testing handle: the curves as the charts hold them.
    (globalThis as Record<string, unknown>).tflabCharts = () => models.current.models;
  }, []);

  async function change(next: ChartSettings) {
    saveSettings(next);
    if (formatSmoothing(next.smoothing) === formatSmoothing(models.current.smoothing)) return setSettings(next);
    const query = `until=${models.current.lastSeq}&smoothing=${formatSmoothing(next.smoothing)}`;
    const response = await fetch(`/api/runs/${encodeURIComponent(runId)}/scalars?${query}`);
    if (!response.ok) return;
    const fresh = new ChartModels(await response.json());
    consume(feed, 0, (m) => fresh.apply(m.data as RunEvent));
    models.current = fresh;
    setEpoch((e) => e + 1);
    setSettings(next);
  }

  const groups = models.current.groups();
  const smoothed = settings.smoothing.amount > (settings.smoothing.mode === "ema" ? 0 : 1);
  return (
    <div class="scalars">
      <ChartControls settings={settings} onChange={change} />
      {!groups.length && <p class="empty">No scalars logged yet.</p>}
      {groups.map(([name, series]) => (
        <details open={name !== "other"} class="group" key={name}>
          <summary>
            {name} <span class="dim">{series.length}</span>
          </summary>
          <div class="chart-grid">
            {series.map((model) => (
              <ScalarChart
                key={model.key}
                model={model}
                axis={settings.axis}
                startTime={models.current.startTime}
                smoothed={smoothed}
                version={`${epoch}:${version}`}
                references={references}
                epochs={models.current.models.get("epoch")}
              />
            ))}
          </div>
        </details>
      ))}
    </div>
  );
}

function ScalarChart({ model, axis, startTime, smoothed, version, references, epochs }: {
  model: SeriesModel;
  axis: "step" | "time";
  startTime: number;
  smoothed: boolean;
  version: string;
  references: ReferenceCurve[];
  epochs: SeriesModel | undefined;
}) {
  const lines = smoothed
    ? [{ label: "raw", color: "rgba(37,99,235,0.28)", width: 1 }, { label: "smoothed", color: "#2563eb" }]
    : [{ label: "value", color: "#2563eb" }];
  const data = () => {
    const xs = model.xs(axis, startTime);
    return (smoothed ? [xs, model.value, model.smooth] : [xs, model.value]) as [number[], ...number[][]];
  };
  return (
    <div class="chart-card" data-key={model.key} data-points={model.total} data-last-step={model.step.at(-1)}>
      <div class="chart-head">
        <span class="mono">{model.key}</span>
        <span class="mono" title={`latest, at step ${model.step.at(-1)}`}>
          {formatValue(model.value.at(-1))}
          {smoothed && <span class="dim">{` · ${formatValue(model.smooth.at(-1))} smoothed`}</span>}
        </span>
      </div>
      <LineChart
        title=""
        lines={lines}
        data={data}
        version={version}
        axis={axis}
        legend={false}
        references={axis === "step" ? chartReferences(references, model.key, epochs) : []}
      />
      <ReferenceLegend shown={references.filter((c) => c.metric === model.key)} all={references} />
      {axis === "time" && references.some((c) => c.metric === model.key) && (
        <p class="small dim">references are drawn on the step axis</p>
      )}
    </div>
  );
}
