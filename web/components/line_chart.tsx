/**
 * A uPlot line chart as a Preact component. The server renders an empty box of the final size
 * (no layout shift); in the browser the chart is created once and fed with setData whenever
 * `version` changes, which is cheap enough for every live update. Width follows the container.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { formatDuration, formatTick, formatTicks, formatValue } from "../shared/format.ts";

export interface Line {
  label: string;
  color: string;
  /** 0: not stroked, only the edge of a band */
  width?: number;
  dash?: number[];
}

/** The area between two of the chart's lines (indices into `lines`), shaded: a spread around a curve. */
export interface Band {
  upper: number;
  lower: number;
  fill: string;
}

export interface LineChartProps {
  title: string;
  lines: Line[];
  /** [xs, ...ys], called on mount and on every version change */
  data: () => uPlot.AlignedData;
  version: number | string;
  axis: "step" | "time";
  height?: number;
  /** a horizontal reference line, e.g. an environment's reward threshold */
  threshold?: number;
  /** uPlot's legend with hover values under the chart (default: when there are several lines) */
  legend?: boolean;
  bands?: Band[];
}

export function LineChart(props: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const height = props.height ?? 170;
  const linesKey = props.lines.map((l) => l.label + l.color + (l.dash ?? "") + (l.width ?? "")).join() +
    JSON.stringify(props.bands ?? []);

  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(props, el.clientWidth || 300, height), props.data(), el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [props.axis, linesKey, props.threshold, props.legend, height]);

  useEffect(() => {
    plot.current?.setData(props.data());
  }, [props.version]);

  // Reserve the final height on the server too, so the page does not jump when charts appear.
  const extra = (props.title ? 24 : 0) + ((props.legend ?? props.lines.length > 1) ? 24 : 0);
  return <div class="chart" ref={box} style={{ minHeight: `${height + extra}px` }} />;
}

function options(props: LineChartProps, width: number, height: number): uPlot.Options {
  const threshold = props.threshold;
  return {
    title: props.title,
    width,
    height,
    legend: { show: props.legend ?? props.lines.length > 1 },
    bands: props.bands?.map((band) => ({ series: [band.upper + 1, band.lower + 1], fill: band.fill })),
    cursor: { drag: { x: true, y: false } },
    scales: {
      x: { time: false },
      // The y range always takes in the threshold, so the line shows even far from the data.
      y: threshold === undefined
        ? {}
        : { range: (_u, min, max) => padRange(Math.min(min, threshold), Math.max(max, threshold)) },
    },
    series: [
      { label: props.axis === "step" ? "step" : "time", value: (_u, v) => (v == null ? "–" : formatX(props.axis, v)) },
      ...props.lines.map((line) => ({
        label: line.label,
        // Canvas ignores a line width of 0, so an unstroked edge is drawn in no colour.
        stroke: line.width === 0 ? "transparent" : line.color,
        width: line.width || 1.5,
        dash: line.dash,
        spanGaps: true,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v == null ? "–" : formatValue(v)),
      })),
    ],
    axes: [
      { values: (_u, ticks) => ticks.map((t) => formatX(props.axis, t)), size: 30, font: "11px system-ui" },
      // Wide enough for the longest tick label (a narrow range needs more digits).
      { values: (_u, ticks) => formatTicks(ticks), size: axisSize, font: "11px system-ui" },
    ],
    hooks: threshold === undefined ? {} : { draw: [(u) => drawThreshold(u, threshold)] },
  };
}

function axisSize(_u: uPlot, values: string[] | null): number {
  const longest = Math.max(3, ...(values ?? []).map((v) => v.length));
  return Math.ceil(longest * 7) + 20;
}

function padRange(min: number, max: number): [number, number] {
  const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
  return [min - pad, max + pad];
}

const formatX = (axis: "step" | "time", v: number) => (axis === "step" ? formatTick(v) : formatDuration(v * 1000));

function drawThreshold(u: uPlot, value: number): void {
  const y = u.valToPos(value, "y", true);
  if (!Number.isFinite(y)) return;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = "#d9534f";
  ctx.setLineDash([6, 4]);
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(bbox.left, y);
  ctx.lineTo(bbox.left + bbox.width, y);
  ctx.stroke();
  ctx.restore();
}
