/**
 * Images logged over training (e.g. VAE samples at each epoch end), one column per key, all
 * moved by one global step slider. The slider follows new images while it sits at the latest
 * step; moved back, it stays where the user put it.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { consume } from "../client/live_feed.ts";
import { runFeed } from "../client/run_feed.ts";
import type { ImageEvent, RunEvent } from "../shared/payloads.ts";

export interface ImageTimelineProps {
  runId: string;
  generation: string;
  cursor: number;
  images: ImageEvent[];
}

export const fileUrl = (runId: string, path: string): string =>
  `/runs/${encodeURIComponent(runId)}/files/${path.split("/").map(encodeURIComponent).join("/")}`;

export default function ImageTimeline(props: ImageTimelineProps) {
  const feed = useMemo(() => runFeed(props.runId, props.cursor, props.generation), []);
  const consumed = useRef(0);
  const [images, setImages] = useState(props.images);
  const [chosen, setChosen] = useState<number | null>(null); // null: follow the latest step
  const version = feed.version.value;

  useEffect(() => {
    const added: ImageEvent[] = [];
    consumed.current = consume(feed, consumed.current, ({ data }) => {
      const event = data as RunEvent;
      if (event.kind === "image") added.push(event);
    });
    if (added.length) setImages((old) => [...old, ...added]);
  }, [version]);

  const steps = [...new Set(images.map((image) => image.step))].sort((a, b) => a - b);
  const keys = [...new Set(images.map((image) => image.key))].sort();
  // No heading and no box until the run logs an image (a live one makes them appear).
  if (!steps.length) return null;
  const index = chosen === null ? steps.length - 1 : Math.min(chosen, steps.length - 1);
  const step = steps[index];
  return (
    <div class="images">
      <h2>Images</h2>
      <div class="controls">
        <input
          type="range"
          aria-label="image step"
          min="0"
          max={steps.length - 1}
          value={index}
          onInput={(e) => {
            const value = Number((e.target as HTMLInputElement).value);
            setChosen(value === steps.length - 1 ? null : value);
          }}
        />
        <span class="mono" data-testid="image-step">step {step}</span>
        <span class="dim">
          {index + 1} of {steps.length}
          {chosen === null ? " · following" : ""}
        </span>
      </div>
      <div class="image-row">
        {keys.map((key) => {
          // The latest image of this key at or before the chosen step.
          const image = images.filter((i) => i.key === key && i.step <= step).at(-1);
          return (
            <figure key={key}>
              {image
                ? (
                  <img
                    src={fileUrl(props.runId, image.path)}
                    width={image.width}
                    height={image.height}
                    alt={`${key} at step ${image.step}`}
                  />
                )
                : <div class="placeholder">not yet</div>}
              <figcaption>
                {key} <span class="dim">{image && image.step !== step ? `(step ${image.step})` : ""}</span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
}
