/** The live feed of a run page and the chart settings a user keeps between visits. */
import { DEFAULT_SMOOTHING, parseSmoothing, type Smoothing } from "../shared/smoothing.ts";
import { type LiveFeed, liveFeed } from "./live_feed.ts";

/** Every island of a run page passes the same cursor (one server snapshot), so they share one stream. */
export const runFeed = (runId: string, cursor: number, generation: string): LiveFeed =>
  liveFeed(`/api/runs/${encodeURIComponent(runId)}/live?after=${cursor}&generation=${encodeURIComponent(generation)}`);

export interface ChartSettings {
  smoothing: Smoothing;
  axis: "step" | "time";
}

const STORAGE_KEY = "tflab.chartSettings";

export function loadSettings(): ChartSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}");
    return {
      smoothing: saved.smoothing ? parseSmoothing(saved.smoothing) : DEFAULT_SMOOTHING,
      axis: saved.axis === "time" ? "time" : "step",
    };
  } catch {
    return { smoothing: DEFAULT_SMOOTHING, axis: "step" };
  }
}

export function saveSettings(settings: ChartSettings): void {
  try {
    const { smoothing } = settings;
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ ...settings, smoothing: `${smoothing.mode}:${smoothing.amount}` }),
    );
  } catch {
    // private mode or storage full: settings just do not persist
  }
}
