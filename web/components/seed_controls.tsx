/**
 * How the compare page groups runs and draws each group: the flags that make a group (the ones
 * whose values differ between the runs; the seed unticked, so seeds share a curve), the centre
 * line and the band around it, and whether each run shows faintly beneath.
 */
import { flagName } from "../../lib/hparams.ts";
import { type BandKind, BANDS, type Centre, CENTRES } from "../../lib/stats/curve_band.ts";
import type { SeedView } from "../shared/seed_view.ts";

export const CENTRE_NAMES: Record<Centre, string> = { mean: "mean", median: "median", iqm: "IQM" };
export const BAND_NAMES: Record<BandKind, string> = {
  none: "no band",
  minmax: "min–max",
  stderr: "± standard error",
  ci95: "bootstrap 95% CI",
};

export function SeedControls({ flags, view, onChange }: {
  /** the config keys whose values differ between the runs */
  flags: string[];
  view: SeedView;
  onChange: (view: SeedView) => void;
}) {
  const toggle = (key: string, on: boolean) =>
    onChange({ ...view, groupBy: on ? [...view.groupBy, key].sort() : view.groupBy.filter((k) => k !== key) });
  return (
    <div class="controls" data-testid="seed-controls">
      <span>
        group by {flags.length === 0 && <span class="dim">(the runs' configs are identical)</span>}
        {flags.map((key) => (
          <label key={key} class="mono">
            <input
              type="checkbox"
              name={key}
              checked={view.groupBy.includes(key)}
              onChange={(e) => toggle(key, (e.target as HTMLInputElement).checked)}
            />
            {flagName(key)}
            {" "}
          </label>
        ))}
      </span>
      <label>
        centre{" "}
        <select
          name="centre"
          value={view.centre}
          onChange={(e) => onChange({ ...view, centre: (e.target as HTMLSelectElement).value as Centre })}
        >
          {CENTRES.map((c) => <option key={c} value={c}>{CENTRE_NAMES[c]}</option>)}
        </select>
      </label>
      <label>
        band{" "}
        <select
          name="band"
          value={view.band}
          onChange={(e) => onChange({ ...view, band: (e.target as HTMLSelectElement).value as BandKind })}
        >
          {BANDS.map((b) => <option key={b} value={b}>{BAND_NAMES[b]}</option>)}
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          name="showRuns"
          checked={view.showRuns}
          onChange={(e) => onChange({ ...view, showRuns: (e.target as HTMLInputElement).checked })}
        />{" "}
        each run
      </label>
    </div>
  );
}
