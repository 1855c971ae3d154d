/**
 * The points of a reference curve (references/<lab-id>.json) from several seeds' runs: at each x
 * the mean over seeds, and the lowest and highest as the band. Reads run directories (a scalar
 * key's events) or the JSON lines a PyTorch reference script prints (one object per evaluation).
 * Prints the points as JSON; the source, command and label are written by hand beside them.
 *
 *   deno run -A bench/reference/reference_points.ts --metric eval/mean_return --x env_steps runs/a runs/b runs/c
 *   deno run -A bench/reference/reference_points.ts --metric test_nelbo --x epoch seed1.jsonl seed2.jsonl seed3.jsonl
 *
 * With --x epoch, a run's x is the `epoch` scalar logged at the metric's step (what the epoch labs
 * log); a JSON line's is its `epoch` field. Otherwise x is the event's step (a JSON line's `step`).
 */
import { parseArgs } from "node:util";
import { readEvents } from "../../lib/run/run_reader.ts";
import { UsageError } from "../../lib/errors.ts";
import { exitOnError } from "../../runner/exit_on_error.ts";

type Series = Map<number, number>;

/** x -> value of one seed. */
async function readSeries(path: string, metric: string, byEpoch: boolean): Promise<Series> {
  const series: Series = new Map();
  if (path.endsWith(".jsonl")) {
    for (const line of (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim())) {
      const row = JSON.parse(line);
      const x = byEpoch ? row.epoch : row.step;
      if (typeof row[metric] === "number" && typeof x === "number") series.set(x, row[metric]);
    }
  } else {
    const events = (await readEvents(path)).filter((e) => e.kind === "scalar");
    const epochAt = new Map(events.flatMap((e) => (e.key === "epoch" ? [[e.step, e.value]] : [])));
    for (const e of events) {
      if (e.key !== metric) continue;
      const x = byEpoch ? epochAt.get(e.step) : e.step;
      if (x === undefined) throw new UsageError(`${path}: no epoch logged at step ${e.step}, where ${metric} is.`);
      series.set(x, e.value); // an evaluation logged again at the same x (a resumed run's) replaces the first
    }
  }
  if (!series.size) throw new UsageError(`${path}: no ${metric} values.`);
  return series;
}

const round = (v: number) => Number(v.toPrecision(6)); // six digits: enough for an AUC of 0.99750

export function points(seeds: Series[]): { x: number; mean: number; low?: number; high?: number }[] {
  const xs = [...seeds[0].keys()].sort((a, b) => a - b);
  for (const [i, seed] of seeds.entries()) {
    if (seed.size !== xs.length || xs.some((x) => !seed.has(x))) {
      throw new UsageError(`input ${i + 1} has other x values than input 1: ${[...seed.keys()]} vs ${xs}`);
    }
  }
  return xs.map((x) => {
    const values = seeds.map((s) => s.get(x)!);
    const mean = round(values.reduce((a, b) => a + b, 0) / values.length);
    return seeds.length === 1
      ? { x, mean }
      : { x, mean, low: round(Math.min(...values)), high: round(Math.max(...values)) };
  });
}

async function main(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { metric: { type: "string" }, x: { type: "string", default: "env_steps" } },
    allowPositionals: true,
  });
  if (!values.metric || !positionals.length) {
    throw new UsageError(
      "usage: reference_points.ts --metric KEY [--x epoch|env_steps|episodes] RUN_DIR|FILE.jsonl ...",
    );
  }
  const seeds = await Promise.all(positionals.map((p) => readSeries(p, values.metric!, values.x === "epoch")));
  console.log(JSON.stringify(points(seeds)));
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
