/**
 * A uPlot line chart as a Preact component. The server renders an empty box of the final size
 * (no layout shift); in the browser the chart is created once and fed with setData whenever
 * `version` changes, which is cheap enough for every live update. Width follows the container.
 * Reference curves (what a run should look like) are drawn dashed over the lines, a marker at
 * each of their points and a whisker over each point's band.
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

/** A reference curve placed on the chart's x axis. */
export interface ChartReference {
  label: string;
  color: string;
  xs: number[];
  mean: number[];
  /** the band at each point (seeds' range, or a published spread), drawn as whiskers */
  band?: { low: number[]; high: number[] };
}

/** The chart's element, with its uPlot instance. */
export type ChartBox = HTMLDivElement & { uplot?: uPlot };

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
  /** dashed reference curves, on the x axis of `data` */
  references?: ChartReference[];
  /** uPlot's legend with hover values under the chart (default: when there are several lines) */
  legend?: boolean;
  /** shaded areas between pairs of `lines` (a seed group's spread) */
  bands?: Band[];
}

export function LineChart(props: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const height = props.height ?? 170;
  const linesKey = [
    ...props.lines.map((l) => l.label + l.color + (l.dash ?? "") + (l.width ?? "")),
    ...(props.references ?? []).map((r) => r.label + r.color + (r.band ? "|" : "")),
  ].join() + JSON.stringify(props.bands ?? []);
  // The references' series come after the lines', so `bands` (indices into `lines`) hold as they are.
  const data = () => withReferences(props.data(), props.references ?? []);

  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(props, el.clientWidth || 300, height), data(), el);
    plot.current = u;
    (el as ChartBox).uplot = u; // a debugging and testing handle: what the chart holds and how it draws it
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [props.axis, linesKey, props.threshold, props.legend, height]);

  useEffect(() => {
    plot.current?.setData(data());
  }, [props.version]);

  // Reserve the final height on the server too, so the page does not jump when charts appear.
  const extra = (props.title ? 24 : 0) + ((props.legend ?? props.lines.length > 1) ? 24 : 0);
  return <div class="chart" ref={box} style={{ minHeight: `${height + extra}px` }} />;
}

/** The chart's own table joined with each reference's [xs, mean, low, high] on the union of their xs. */
function withReferences(own: uPlot.AlignedData, references: ChartReference[]): uPlot.AlignedData {
  if (!references.length) return own;
  return uPlot.join([
    own,
    ...references.map((r) => [r.xs, r.mean, ...(r.band ? [r.band.low, r.band.high] : [])] as uPlot.AlignedData),
  ]);
}

function options(props: LineChartProps, width: number, height: number): uPlot.Options {
  const threshold = props.threshold;
  const references = props.references ?? [];
  // Each reference is a mean series, then its band's low and high series when it has a band.
  let next = 1 + props.lines.length;
  const whiskers = references.flatMap((ref) => {
    const mean = next;
    next += ref.band ? 3 : 1;
    return ref.band ? [{ color: ref.color, low: mean + 1, high: mean + 2 }] : [];
  });
  const draw = [
    ...(threshold === undefined ? [] : [(u: uPlot) => drawThreshold(u, threshold)]),
    ...(whiskers.length ? [(u: uPlot) => drawWhiskers(u, whiskers)] : []),
  ];
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
      ...references.flatMap((ref) => [
        {
          label: ref.label,
          stroke: ref.color,
          width: 1.5,
          dash: [6, 4],
          spanGaps: true,
          points: { show: true, size: 6, fill: ref.color },
          value: (_u: uPlot, v: number | null) => (v == null ? "–" : formatValue(v)),
        },
        // The band's ends: not drawn as lines (drawWhiskers draws them), but in the y range.
        ...(ref.band ? ["low", "high"] : []).map((end) => ({
          label: `${ref.label} ${end}`,
          stroke: ref.color,
          paths: () => null,
          points: { show: false },
        })),
      ]),
    ],
    axes: [
      { values: (_u, ticks) => ticks.map((t) => formatX(props.axis, t)), size: 30, font: "11px system-ui" },
      // Wide enough for the longest tick label (a narrow range needs more digits).
      { values: (_u, ticks) => formatTicks(ticks), size: axisSize, font: "11px system-ui" },
    ],
    hooks: draw.length ? { draw } : {},
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

/** A vertical whisker with caps over each reference point's band (its low and high series). */
function drawWhiskers(u: uPlot, bands: { color: string; low: number; high: number }[]): void {
  const { ctx, bbox } = u;
  const cap = 4 * devicePixelRatio;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height); // a zoomed chart's whiskers stay inside the plot
  ctx.clip();
  ctx.lineWidth = devicePixelRatio;
  for (const band of bands) {
    const [low, high] = [u.data[band.low], u.data[band.high]];
    ctx.strokeStyle = band.color;
    for (let i = 0; i < u.data[0].length; i++) {
      if (low[i] == null || high[i] == null) continue;
      const x = u.valToPos(u.data[0][i], "x", true);
      const [y0, y1] = [u.valToPos(low[i]!, "y", true), u.valToPos(high[i]!, "y", true)];
      ctx.beginPath();
      for (const [from, to] of [[[x, y0], [x, y1]], [[x - cap, y0], [x + cap, y0]], [[x - cap, y1], [x + cap, y1]]]) {
        ctx.moveTo(from[0], from[1]);
        ctx.lineTo(to[0], to[1]);
      }
      ctx.stroke();
    }
  }
  ctx.restore();
}
