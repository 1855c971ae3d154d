/** A small sweep manifest (qlearning-frozenlake, alpha 0.05 and 0.2, no trials) for tests to patch. */
import type { SweepManifest } from "../../../lib/sweep/manifest.ts";

export function manifestOf(patch: Partial<SweepManifest> = {}): SweepManifest {
  return {
    version: 1,
    id: "qlearning-frozenlake-0123abcd",
    lab: "qlearning-frozenlake",
    headline: "eval/mean_return",
    better: "higher",
    status: "running",
    createdAt: "2026-12-07T00:00:00.000Z",
    updatedAt: "2026-12-07T00:00:00.000Z",
    search: { kind: "grid", dimensions: [{ flag: "alpha", kind: "grid", values: ["0.05", "0.2"] }] },
    method: "full",
    seeds: [1],
    fixed: [],
    parallel: 1,
    retries: 1,
    settings: [
      { id: "s01", values: { alpha: 0.05 }, args: ["--alpha", "0.05"] },
      { id: "s02", values: { alpha: 0.2 }, args: ["--alpha", "0.2"] },
    ],
    trials: [],
    ...patch,
  };
}
