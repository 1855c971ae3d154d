/// <reference lib="dom" />
/**
 * Replays a recorded episode on a canvas from its render states: play, pause, a scrubber over
 * the frames, and the return so far. Frames play at the environment's own rate where known
 * (CartPole's tau is 0.02 s), so a replay looks like the real thing.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { EpisodeRecord } from "../../lib/run/types.ts";
import { drawFrame } from "../client/replay/draw_frame.ts";
import { formatValue } from "../shared/format.ts";

// Seconds per step of each env (Gymnasium's tau / dt / metadata render_fps); grid worlds play slower to be followed.
const SECONDS_PER_FRAME: Record<string, number> = {
  cart_pole: 0.02,
  mountain_car: 1 / 30,
  acrobot: 1 / 15,
  pendulum: 0.05,
  frozen_lake: 0.25,
  cliff_walking: 0.15,
};

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
  const kind = (record.frames[0] as { kind?: string } | undefined)?.kind ?? "";
  const secondsPerFrame = SECONDS_PER_FRAME[kind] ?? 1 / 30;

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
      const next = Math.min(last, from + Math.floor((now - started) / 1000 / secondsPerFrame));
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
