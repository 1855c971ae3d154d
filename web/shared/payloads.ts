/**
 * The plain data that crosses from server to browser: island props, JSON API bodies and
 * Server-Sent Event payloads. Shared by web/routes and web/islands so both sides agree.
 */
import type { RunEvent, RunInfo, RunStatus } from "../../lib/run/types.ts";
import type { ListedStatus, RunsQuery } from "./runs_query.ts";
import type { SmootherState, Smoothing } from "./smoothing.ts";

/** One scalar key's curve: history downsampled on the server, smoothed on the full series. */
export interface SeriesPayload {
  key: string;
  /** seq of the last event folded in: live points with seq <= this are already included */
  seq: number;
  /** number of points in the full series */
  total: number;
  step: number[];
  /** wall time, ms since the epoch */
  time: number[];
  value: number[];
  smooth: number[];
  /** continues the smoothing exactly from the last point of the full series */
  state: SmootherState;
}

export interface ScalarsPayload {
  runId: string;
  /** every event with seq <= cursor is included */
  cursor: number;
  smoothing: Smoothing;
  /** wall time of the run's first event, the origin of the relative-time axis */
  startTime: number;
  series: SeriesPayload[];
}

export type ImageEvent = Extract<RunEvent, { kind: "image" }>;
export type EpisodeEvent = Extract<RunEvent, { kind: "episode" }>;
export type ScalarEvent = Extract<RunEvent, { kind: "scalar" }>;

/** One row of the runs list. */
export interface RunSummary {
  id: string;
  lab: string;
  title: string;
  status: ListedStatus;
  createdAt: string;
  updatedAt: string;
  backend: string;
  adapter?: string;
  totalSteps: number;
  /** step of the latest event */
  step: number;
  headline: string;
  /** latest value of the headline scalar, null before it is first logged */
  headlineValue: number | null;
  /** number of events */
  events: number;
  /** why the run failed, or why its run.json cannot be read (status "malformed") */
  error?: string;
  /** the run's --notes */
  notes?: string;
  /** set when the run is a sweep's trial */
  sweep?: RunInfo["sweep"];
  /** its values of the page's config columns */
  config: Record<string, unknown>;
  /** its values of the page's metric columns */
  metrics: Record<string, number>;
}

/** One page of the runs list, as the query asked for it. */
export interface RunsPage {
  query: RunsQuery;
  runs: RunSummary[];
  /** runs that match the query */
  total: number;
  /** runs in the runs directory */
  all: number;
  pages: number;
  /** matching runs per status (ignoring the status filter) and per lab (ignoring the lab filter) */
  counts: { status: Record<string, number>; lab: Record<string, number> };
  /** config keys whose values differ among the matching runs, and the metrics filtered or sorted by */
  columns: { config: string[]; metrics: string[] };
}

export type { RunEvent, RunInfo, RunStatus };
