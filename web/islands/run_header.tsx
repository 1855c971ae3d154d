/**
 * The run page's live line: status, progress with an estimate of the time left, the headline
 * metric, and whether that metric is on track against the lab's reference at the same x.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { consume } from "../client/live_feed.ts";
import { runFeed } from "../client/run_feed.ts";
import { ProgressBar } from "../components/progress_bar.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import { formatDuration, formatValue } from "../shared/format.ts";
import type { RunEvent, RunStatus } from "../shared/payloads.ts";
import { type EpochMarks, formatUnit, type ReferenceCurve, verdict } from "../shared/reference_curves.ts";

export interface RunHeaderProps {
  runId: string;
  generation: string;
  cursor: number;
  status: RunStatus | "resumed";
  step: number;
  totalSteps: number;
  headline: string;
  headlineValue: number | null;
  /** the step of headlineValue */
  headlineStep: number | null;
  /** the lab's reference curves of the headline metric, in the file's order */
  references: ReferenceCurve[];
  /** the run's epoch scalar, which places epoch references on its steps */
  epochs: EpochMarks;
  /** wall times (ms) of the first and latest events */
  firstTime: number;
  lastTime: number;
}

export default function RunHeader(props: RunHeaderProps) {
  const feed = useMemo(() => runFeed(props.runId, props.cursor, props.generation), []);
  const consumed = useRef(0);
  const [state, setState] = useState(props);
  const version = feed.version.value;

  useEffect(() => {
    const next = { ...state, epochs: { step: [...state.epochs.step], value: [...state.epochs.value] } };
    consumed.current = consume(feed, consumed.current, ({ data }) => {
      const event = data as RunEvent;
      next.step = Math.max(next.step, event.step);
      next.lastTime = event.time;
      next.firstTime ||= event.time;
      if (event.kind === "status") next.status = event.status;
      if (event.kind !== "scalar") return;
      if (event.key === props.headline) {
        next.headlineValue = event.value;
        next.headlineStep = event.step;
      }
      if (event.key === "epoch") {
        next.epochs.step.push(event.step);
        next.epochs.value.push(event.value);
      }
    });
    setState(next);
  }, [version]);

  const { status, step, totalSteps, firstTime, lastTime } = state;
  const running = status === "running" || status === "resumed";
  const remaining = running && step > 0 && totalSteps > step
    ? ((lastTime - firstTime) / step) * (totalSteps - step)
    : null;
  return (
    <div class="run-line">
      <StatusBadge status={status} />
      <ProgressBar step={step} total={totalSteps} />
      <span class="dim" title="wall time between the first and latest events">
        {formatDuration(lastTime - firstTime)}
        {remaining !== null && ` · ~${formatDuration(remaining)} left`}
      </span>
      {props.headline && (
        <span class="headline" data-testid="headline">
          <span class="dim">{props.headline}</span> <b class="mono">{formatValue(state.headlineValue)}</b>
        </span>
      )}
      <ReferenceStatus {...state} />
      <span class={feed.connected.value || !running ? "live-dot" : "live-dot off"} title="live connection" />
    </div>
  );
}

/** "on track" or "behind the reference", and against what, where a reference covers the run's latest x. */
function ReferenceStatus({ references, headlineValue, headlineStep, epochs }: RunHeaderProps) {
  if (headlineValue === null || headlineStep === null) return null;
  const found = verdict(references, { step: headlineStep, value: headlineValue }, epochs);
  if (!found) return null;
  const { onTrack, curve, at } = found;
  const band = at.low === undefined ? "" : ` (${formatValue(at.low)} to ${formatValue(at.high)})`;
  return (
    <span
      class={onTrack ? "ref-status on-track" : "ref-status behind"}
      data-testid="reference-status"
      title={`${formatValue(headlineValue)} against ${formatValue(at.mean)}${band} at ${
        formatUnit(curve.x, at.x)
      }; ${curve.better} is better`}
    >
      {onTrack ? "on track" : "behind the reference"} <span class="dim">· {curve.label}</span>
    </span>
  );
}
