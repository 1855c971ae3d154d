/** Smoothing (debiased EMA or moving average) and x axis (step or wall time), shared by run and compare pages. */
import type { ChartSettings } from "../client/run_feed.ts";

export function ChartControls({ settings, onChange, note }: {
  settings: ChartSettings;
  onChange: (settings: ChartSettings) => void;
  note?: string;
}) {
  const { smoothing, axis } = settings;
  const setAmount = (amount: number) => onChange({ ...settings, smoothing: { ...smoothing, amount } });
  return (
    <div class="controls" data-testid="chart-controls">
      <label>
        smoothing{" "}
        <select
          value={smoothing.mode}
          onChange={(e) => {
            const mode = (e.target as HTMLSelectElement).value as "ema" | "mean";
            onChange({ ...settings, smoothing: mode === "ema" ? { mode, amount: 0.6 } : { mode, amount: 10 } });
          }}
        >
          <option value="ema">EMA (debiased)</option>
          <option value="mean">moving average</option>
        </select>
      </label>
      {smoothing.mode === "ema"
        ? (
          <label>
            <input
              type="range"
              min="0"
              max="0.99"
              step="0.01"
              value={smoothing.amount}
              onChange={(e) => setAmount(Number((e.target as HTMLInputElement).value))}
            />
            <span class="mono">{smoothing.amount.toFixed(2)}</span>
          </label>
        )
        : (
          <label>
            window{" "}
            <input
              type="number"
              min="1"
              max="10000"
              value={smoothing.amount}
              onChange={(e) => setAmount(Math.max(1, Math.round(Number((e.target as HTMLInputElement).value)) || 1))}
            />
          </label>
        )}
      <span class="segmented">
        {(["step", "time"] as const).map((value) => (
          <button
            type="button"
            class={axis === value ? "on" : undefined}
            onClick={() => onChange({ ...settings, axis: value })}
          >
            {value === "step" ? "step" : "wall time"}
          </button>
        ))}
      </span>
      {note && <span class="dim">{note}</span>}
    </div>
  );
}
