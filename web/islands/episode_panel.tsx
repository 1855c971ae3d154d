/// <reference lib="dom" />
/**
 * Episodes of an RL run: the return of each recorded episode against the step it ended at,
 * with the environment's reward threshold drawn, and a replay of any recorded episode (the
 * latest by default) from its render states.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { EpisodeRecord } from "../../lib/run/types.ts";
import { consume } from "../client/live_feed.ts";
import { runFeed } from "../client/run_feed.ts";
import { LineChart } from "../components/line_chart.tsx";
import { ReplayPlayer } from "../components/replay_player.tsx";
import { formatValue } from "../shared/format.ts";
import type { EpisodeEvent, RunEvent } from "../shared/payloads.ts";
import { fileUrl } from "./image_timeline.tsx";

export interface EpisodePanelProps {
  runId: string;
  generation: string;
  cursor: number;
  episodes: EpisodeEvent[];
}

export default function EpisodePanel(props: EpisodePanelProps) {
  const feed = useMemo(() => runFeed(props.runId, props.cursor, props.generation), []);
  const consumed = useRef(0);
  const [episodes, setEpisodes] = useState(props.episodes);
  const [chosen, setChosen] = useState<number | null>(null); // seq of the episode to replay; null: the latest
  const [record, setRecord] = useState<EpisodeRecord | null>(null);
  const version = feed.version.value;

  useEffect(() => {
    const added: EpisodeEvent[] = [];
    consumed.current = consume(feed, consumed.current, ({ data }) => {
      const event = data as RunEvent;
      if (event.kind === "episode") added.push(event);
    });
    if (added.length) setEpisodes((old) => [...old, ...added]);
  }, [version]);

  const shown = episodes.find((e) => e.seq === chosen) ?? episodes.at(-1);
  useEffect(() => {
    if (!shown) return;
    let cancelled = false;
    fetch(fileUrl(props.runId, shown.path)).then((r) => (r.ok ? r.json() : null)).then((r) =>
      !cancelled && setRecord(r)
    );
    return () => (cancelled = true);
  }, [shown?.seq]);

  // No heading and no box until the run records an episode (a live one makes them appear).
  if (!episodes.length) return null;
  const threshold = episodes.findLast((e) => e.rewardThreshold !== undefined)?.rewardThreshold;
  const data = () => [episodes.map((e) => e.step), episodes.map((e) => e.return)] as [number[], number[]];
  return (
    <>
      <h2>Episodes</h2>
      <div class="episodes">
        <div class="chart-card">
          <LineChart
            title={`episodic return${threshold === undefined ? "" : ` (threshold ${threshold})`}`}
            lines={[{ label: "return", color: "#16a34a" }]}
            data={data}
            version={episodes.length}
            axis="step"
            threshold={threshold}
          />
        </div>
        <div class="replay-box">
          <label class="controls">
            episode{" "}
            <select
              value={shown?.seq}
              onChange={(e) => setChosen(Number((e.target as HTMLSelectElement).value))}
              data-testid="episode-select"
            >
              {episodes.map((e) => (
                <option value={e.seq} key={e.seq}>
                  step {e.step} · {e.key} · return {formatValue(e.return)} · {e.length} steps
                </option>
              ))}
            </select>
          </label>
          {record ? <ReplayPlayer record={record} /> : <div class="placeholder">loading {shown?.env} episode…</div>}
        </div>
      </div>
    </>
  );
}
