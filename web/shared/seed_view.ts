/**
 * How the compare page groups and draws runs, kept in its URL so that a reload, a bookmark or a
 * link sent to a co-author shows the same figure: `group=lr,gamma` (flag names; empty for one
 * group of all runs; absent for the default), `centre=mean|median|iqm`, `band=none|minmax|stderr|ci95`
 * and `each=1` for each run's own curve beneath its group's.
 */
import { flagName } from "../../lib/hparams.ts";
import { type BandKind, BANDS, type Centre, CENTRES } from "../../lib/stats/curve_band.ts";
import { defaultGroupBy, type GroupableRun, varyingFlags } from "./seed_groups.ts";

export interface SeedView {
  /** config keys that make a group; the seed and the flags not ticked vary within one */
  groupBy: string[];
  centre: Centre;
  band: BandKind;
  /** each run's own curve, faintly, under its group's */
  showRuns: boolean;
}

/** Mean ± standard error: closed form, instant for any number of charts; the bootstrap is a choice away. */
export const DEFAULT_VIEW: Omit<SeedView, "groupBy"> = { centre: "mean", band: "stderr", showRuns: false };

export function parseSeedView(query: (name: string) => string | undefined, runs: readonly GroupableRun[]): SeedView {
  const flags = varyingFlags(runs), group = query("group"), centre = query("centre"), band = query("band");
  const byFlag = new Map(flags.flatMap((key) => [[key, key], [flagName(key), key]]));
  return {
    groupBy: group === undefined
      ? defaultGroupBy(runs)
      : [...new Set(group.split(",").flatMap((name) => byFlag.get(name.trim()) ?? []))].sort(),
    centre: CENTRES.includes(centre as Centre) ? centre as Centre : DEFAULT_VIEW.centre,
    band: BANDS.includes(band as BandKind) ? band as BandKind : DEFAULT_VIEW.band,
    showRuns: query("each") === "1",
  };
}

/** The page's URL with the view in its query, the rest of it kept. */
export function withSeedView(href: string, view: SeedView): string {
  const url = new URL(href);
  url.searchParams.set("group", view.groupBy.map(flagName).join(","));
  url.searchParams.set("centre", view.centre);
  url.searchParams.set("band", view.band);
  if (view.showRuns) url.searchParams.set("each", "1");
  else url.searchParams.delete("each");
  return url.pathname + url.search.replaceAll("%2C", ",");
}
