/**
 * The run directory is the contract between training and display (see DESIGN.md):
 *
 *   runs/<run-id>/run.json      RunInfo: lab, config and the spec it was parsed by, backend, versions, status
 *                 events.jsonl  one RunEvent a line, seq strictly increasing, append-only
 *                 media/        PNG grids and other artifacts named by events
 *                 checkpoints/  step-NNNNNNNNN.ckpt, atomic, checksummed
 *                 summary.json  final metrics, written when the run ends
 */
import type { Spec } from "../hparams.ts";

/** Whether a larger ("higher") or a smaller ("lower") headline value is the better result. */
export type HeadlineDirection = "higher" | "lower";

export type RunStatus = "running" | "finished" | "failed" | "interrupted";

export interface BackendInfo {
  name: string;
  reason: string;
  adapter?: string;
  /** `--backend auto`: the training steps timed on each candidate, and whether they came from the cache */
  measured?: BackendMeasurement;
}

/** What `--backend auto` timed: a few training steps of the lab, with the run's flags, on each candidate. */
export interface BackendMeasurement {
  /** ms per training step (the lab's step: an optimisation step, or an env step in RL labs) */
  candidates: Record<string, number | null>;
  /** why a candidate has no figure, or only a bound: ">= 40.2 ms/step: stopped, slower than blas" */
  notes?: Record<string, string>;
  chosen: string;
  /** read from the cache (measured by an earlier run on this machine, with this lab and config shape) */
  cached: boolean;
  measuredAt: string;
}

export interface RunInfo {
  id: string;
  lab: string;
  title: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  config: Record<string, unknown>;
  /**
   * The lab's spec (flag meanings, defaults, bounds or choices) as it was when the run started,
   * so that the run explains its config without the training code, even after a default
   * changes. Absent in runs written before it was recorded.
   */
  spec?: Spec;
  backend: BackendInfo;
  versions: Record<string, string>;
  /** where the run was last written from; `worker`: the sweep worker (`deno task worker`) that ran it */
  host: { os: string; arch: string; hostname: string; pid: number; worker?: string };
  /** The scalar key that sums the run up (e.g. "eval/nelbo"), shown in lists of runs. */
  headline: string;
  /** Which way the headline improves; absent in runs written before it was recorded. */
  better?: HeadlineDirection;
  /** Set when the run is a trial of a sweep (`deno task sweep`): the sweep's id and the trial's. */
  sweep?: { id: string; trial: string };
  /** The optimisation steps the run plans to take, for progress bars. */
  totalSteps: number;
  /** One entry per --resume: when, from which checkpoint step, on which backend. */
  resumes: { at: string; fromStep: number; backend: string; hostname?: string; worker?: string }[];
  error?: string;
}

interface EventBase {
  seq: number;
  /** wall time, ms since the Unix epoch */
  time: number;
  step: number;
}
export type RunEvent =
  & EventBase
  & (
    | { kind: "scalar"; key: string; value: number }
    | { kind: "image"; key: string; path: string; width: number; height: number }
    | { kind: "status"; status: RunStatus | "resumed"; message?: string }
    | { kind: "checkpoint"; path: string; epoch: number }
    // An episode recorded for replay: `path` names a JSON EpisodeRecord under media/.
    | {
      kind: "episode";
      key: string;
      env: string;
      path: string;
      return: number;
      length: number;
      rewardThreshold?: number;
    }
  );

/** The file an episode event points to: the env's render state after reset and after each step. */
export interface EpisodeRecord {
  env: string;
  /**
   * The env's `metadata.renderFps` (Gymnasium's `render_fps`), the rate the replay plays at;
   * absent from records written before it was recorded.
   */
  fps?: number;
  frames: unknown[];
  rewards: number[];
}

export type NewEvent = RunEvent extends infer E ? E extends RunEvent ? Omit<E, "seq" | "time"> : never
  : never;
