/**
 * Everything a run page shows, cut at one cursor (the last event read), so that every island on
 * the page starts from the same point and continues from the same live stream.
 */
import { SYSTEM_KEYS } from "../islands/system_panel.tsx";
import type { EpisodeEvent, ImageEvent, RunInfo, RunStatus, ScalarsPayload } from "../shared/payloads.ts";
import { DEFAULT_SMOOTHING } from "../shared/smoothing.ts";
import type { EpochMarks } from "../shared/reference_curves.ts";
import type { RunLog } from "./run_log.ts";
import { scalarsPayload } from "./scalars.ts";

export interface RunSnapshot {
  cursor: number;
  generation: string;
  status: RunStatus | "resumed";
  step: number;
  firstTime: number;
  lastTime: number;
  headlineValue: number | null;
  headlineStep: number | null;
  /** the run's epoch scalar (epoch labs), which places references measured per epoch on its steps */
  epochs: EpochMarks;
  latest: Record<string, number>;
  images: ImageEvent[];
  episodes: EpisodeEvent[];
  scalars: ScalarsPayload;
}

export function runSnapshot(runId: string, info: RunInfo, log: RunLog): RunSnapshot {
  const cursor = log.lastSeq;
  const events = log.after(0);
  const images: ImageEvent[] = [], episodes: EpisodeEvent[] = [];
  // A status event is the live truth; run.json's status covers runs whose log has none.
  let status: RunStatus | "resumed" = info.status;
  for (const event of events) {
    if (event.kind === "image") images.push(event);
    else if (event.kind === "episode") episodes.push(event);
    else if (event.kind === "status") status = event.status;
  }
  const latest: Record<string, number> = {};
  for (const key of SYSTEM_KEYS) {
    const value = log.scalars.get(key)?.value.at(-1);
    if (value !== undefined) latest[key] = value;
  }
  return {
    cursor,
    generation: log.generation,
    status,
    step: events.at(-1)?.step ?? 0,
    firstTime: events[0]?.time ?? 0,
    lastTime: events.at(-1)?.time ?? 0,
    headlineValue: log.scalars.get(info.headline)?.value.at(-1) ?? null,
    headlineStep: log.scalars.get(info.headline)?.step.at(-1) ?? null,
    epochs: { step: log.scalars.get("epoch")?.step ?? [], value: log.scalars.get("epoch")?.value ?? [] },
    latest,
    images,
    episodes,
    scalars: scalarsPayload(runId, log, { smoothing: DEFAULT_SMOOTHING, until: cursor }),
  };
}
