/**
 * Every island, by the name the server writes in data-island and the browser hydrates by.
 * One registry for both sides, so a name cannot drift between them.
 */
import CompareCharts from "./compare_charts.tsx";
import EpisodePanel from "./episode_panel.tsx";
import GuideLive from "./guide_live.tsx";
import ImageTimeline from "./image_timeline.tsx";
import RunHeader from "./run_header.tsx";
import RunsTable from "./runs_table.tsx";
import ScalarCharts from "./scalar_charts.tsx";
import SweepScatter from "./sweep_scatter.tsx";
import SweepTable from "./sweep_table.tsx";
import SystemPanel from "./system_panel.tsx";

export const ISLANDS = {
  CompareCharts,
  EpisodePanel,
  GuideLive,
  ImageTimeline,
  RunHeader,
  RunsTable,
  ScalarCharts,
  SweepScatter,
  SweepTable,
  SystemPanel,
} as const;
