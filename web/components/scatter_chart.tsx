/**
 * A uPlot scatter: points only, no lines, x ascending. The x axis is linear, logarithmic, or a
 * list of categories (drawn at 0, 1, 2, ... and labelled with their names). Like LineChart, the
 * server renders an empty box of the final size and the browser draws into it; a new `chartKey`
 * redraws it from scratch.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { formatTick, formatTicks, formatValue } from "../shared/format.ts";

export interface ScatterSeries {
  label: string;
  color: string;
  size: number;
}

export interface ScatterChartProps {
  title: string;
  /** [xs ascending, ...one y array per series, null where a series has no point] */
  data: uPlot.AlignedData;
  series: ScatterSeries[];
  x: { label: string; log: boolean; categories?: string[] };
  chartKey: string;
  height?: number;
}

export function ScatterChart(props: ScatterChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const height = props.height ?? 260;
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(props, el.clientWidth || 400, height), props.data, el);
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [props.chartKey, height]);
  return <div class="chart" ref={box} style={{ minHeight: `${height + 48}px` }} data-testid="scatter" />;
}

function options({ title, series, x }: ScatterChartProps, width: number, height: number): uPlot.Options {
  const categories = x.categories;
  const xText = (v: number) => (categories ? categories[Math.round(v)] ?? "" : formatTick(v));
  return {
    title,
    width,
    height,
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: categories ? { time: false, range: [-0.5, categories.length - 0.5] } : { time: false, distr: x.log ? 3 : 1 },
    },
    series: [
      { label: x.label, value: (_u, v) => (v == null ? "–" : xText(v)) },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        fill: s.color,
        paths: () => null,
        points: { show: true, size: s.size, width: 1, stroke: s.color, fill: s.color },
        value: (_u: uPlot, v: number | null) => (v == null ? "–" : formatValue(v)),
      })),
    ],
    axes: [
      {
        label: x.label,
        ...(categories ? { splits: () => categories.map((_, i) => i) } : {}),
        values: (_u, ticks) => ticks.map((t) => (t == null ? "" : xText(t))), // a log axis leaves some ticks unlabelled (null)
        font: "11px system-ui",
      },
      { values: (_u, ticks) => formatTicks(ticks), size: 60, font: "11px system-ui" },
    ],
  };
}
