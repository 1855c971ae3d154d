/** The run page's live line: status, progress with an estimate of the time left, the headline metric. */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { consume } from "../client/live_feed.ts";
import { runFeed } from "../client/run_feed.ts";
import { ProgressBar } from "../components/progress_bar.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import { formatDuration, formatValue } from "../shared/format.ts";
import type { RunEvent, RunStatus } from "../shared/payloads.ts";

export interface RunHeaderProps {
  runId: string;
  generation: string;
  cursor: number;
  status: RunStatus | "resumed";
  step: number;
  totalSteps: number;
  headline: string;
  headlineValue: number | null;
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
    const next = { ...state };
    consumed.current = consume(feed, consumed.current, ({ data }) => {
      const event = data as RunEvent;
      next.step = Math.max(next.step, event.step);
      next.lastTime = event.time;
      next.firstTime ||= event.time;
      if (event.kind === "status") next.status = event.status;
      if (event.kind === "scalar" && event.key === props.headline) next.headlineValue = event.value;
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
      <span class={feed.connected.value || !running ? "live-dot" : "live-dot off"} title="live connection" />
    </div>
  );
}
