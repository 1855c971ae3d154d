/**
 * Training progress for the terminal: on a TTY a live bar (cli-progress) with the loss, steps per
 * second and ETA; otherwise (CI, a log file) one plain line per epoch, so logs stay readable.
 */
import cliProgress from "cli-progress";

export interface ProgressOptions {
  totalSteps: number;
  startStep: number;
  interactive?: boolean;
}

export class Progress {
  private bar?: cliProgress.SingleBar;
  private readonly startedAt = performance.now();
  private readonly startStep: number;
  private readonly totalSteps: number;
  private payload = { label: "", loss: "-", rate: "-" };

  constructor({ totalSteps, startStep, interactive = Deno.stderr.isTerminal() }: ProgressOptions) {
    this.totalSteps = totalSteps;
    this.startStep = startStep;
    if (interactive) {
      this.bar = new cliProgress.SingleBar({
        format: "{label} |{bar}| {value}/{total} steps | loss {loss} | {rate} steps/s | ETA {eta_formatted}",
        hideCursor: true,
        etaBuffer: 200,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(totalSteps, startStep, this.payload);
    }
  }

  /** Steps per second since this process started training. */
  rate(step: number): number {
    return (step - this.startStep) / ((performance.now() - this.startedAt) / 1000);
  }

  /** Seconds left at the current rate. */
  eta(step: number): number {
    return (this.totalSteps - step) / Math.max(this.rate(step), 1e-9);
  }

  update(step: number, values: { label: string; loss: number }): void {
    this.payload = { label: values.label, loss: values.loss.toFixed(2), rate: this.rate(step).toFixed(1) };
    this.bar?.update(step, this.payload);
  }

  /** A line that stays: printed above the bar on a TTY, alone otherwise. */
  log(step: number, line: string): void {
    const text = `${line} | ${this.rate(step).toFixed(1)} steps/s | ETA ${formatSeconds(this.eta(step))}`;
    if (this.bar) {
      this.bar.stop();
      console.error(text);
      this.bar.start(this.totalSteps, step, this.payload);
    } else {
      console.error(text);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "-";
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
    : s >= 60
    ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
    : `${s}s`;
}
