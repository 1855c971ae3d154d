/// <reference lib="dom" />
/**
 * Replays a recorded episode on a canvas from its render states: play, pause, a scrubber over
 * the frames, and the return so far. Frames play at the rate the record carries, its env's
 * Gymnasium `render_fps` (CartPole's 50 is one frame per 0.02 s step, as the real thing).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { EpisodeRecord } from "../../lib/run/types.ts";
import { drawFrame } from "../client/replay/draw_frame.ts";
import { formatValue } from "../shared/format.ts";

/** The rate for records written before episodes carried their env's, as unknown envs always played. */
const DEFAULT_FPS = 30;

/** Seconds between frames of a record's replay. */
export function secondsPerFrame(record: Pick<EpisodeRecord, "fps">): number {
  const fps = record.fps;
  return 1 / (typeof fps === "number" && Number.isFinite(fps) && fps > 0 ? fps : DEFAULT_FPS);
}

export function ReplayPlayer({ record, width = 480, height = 300 }: {
  record: EpisodeRecord;
  width?: number;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(true);
  const animation = useRef(0); // the pending animation frame while playing
  const last = record.frames.length - 1;
  const frameSeconds = secondsPerFrame(record);

  useEffect(() => {
    setFrame(0);
    setPlaying(true);
  }, [record]);

  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (ctx && record.frames[frame] !== undefined) {
      drawFrame(ctx, { env: record.env, state: record.frames[frame], width, height });
    }
  }, [frame, record]);

  useEffect(() => {
    if (!playing) return;
    let started = performance.now(), from = frame;
    const tick = (now: number) => {
      const next = Math.min(last, from + Math.floor((now - started) / 1000 / frameSeconds));
      setFrame(next);
      if (next >= last) return setPlaying(false);
      animation.current = requestAnimationFrame(tick);
    };
    if (from >= last) from = 0, started = performance.now();
    animation.current = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(animation.current);
  }, [playing, record]);

  // Stops at once: the effect's cleanup runs only after the next paint, and a tick before it
  // would move the frame past the one paused on (or scrubbed to).
  const pause = () => {
    cancelAnimationFrame(animation.current);
    setPlaying(false);
  };

  const returnSoFar = record.rewards.slice(0, frame).reduce((a, b) => a + b, 0);
  return (
    <div class="replay" data-testid="replay">
      <canvas ref={canvas} width={width} height={height} />
      <div class="controls">
        <button type="button" onClick={() => (playing ? pause() : setPlaying(true))} data-testid="play">
          {playing ? "pause" : "play"}
        </button>
        <input
          type="range"
          aria-label="frame"
          min="0"
          max={last}
          value={frame}
          onInput={(e) => {
            pause();
            setFrame(Number((e.target as HTMLInputElement).value));
          }}
        />
        <span class="mono" data-testid="replay-frame">
          t={frame}/{last} · return {formatValue(returnSoFar)}
        </span>
      </div>
    </div>
  );
}
