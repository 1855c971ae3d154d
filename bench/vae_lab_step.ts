/**
 * `deno task bench --only vae-lab-step`: the vae-mnist lab's cost per training step as a student
 * pays it, beside PyTorch's (issue 18's method): each side runs whole, once capped at 60 steps and
 * once at 460, and (T460 - T60) / 400 is its time per step, which cancels start-up and the
 * end-of-run evaluation. The lab runs as `deno task lab vae-mnist --epochs 1 --max-steps N
 * --no-dashboard` (its default flags otherwise) into a temporary runs folder, the reference as
 * `python3 bench/reference/vae_mnist_torch.py MNIST_DIR 1 SEED N`, both on one BLAS thread.
 *
 * This machine's speed drifts by up to 2x over minutes, so one pair of figures defends nothing: the
 * bench repeats rounds of the four runs, alternating which side goes first, and reports each round's
 * ratio and their median. Wall seconds as the issue states the method; CPU seconds (user + sys of
 * each process tree) beside them.
 */
import { fileURLToPath } from "node:url";
import { bundledMnistDir } from "../lib/data/mnist.ts";
import { timeCommand, type Timed, timeLab } from "./lab_cpu.ts";
import { median } from "../lib/stats/describe.ts";

export const SHORT_STEPS = 60;
export const LONG_STEPS = 460;
// Both sides on one BLAS thread (PyTorch's OpenBLAS reads OMP_NUM_THREADS too, the lab's OPENBLAS_NUM_THREADS).
const ONE_THREAD = { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" };

/** One side's time per step from its two runs, ms: by wall clock and by CPU time. */
export interface PerStep {
  wallMs: number;
  cpuMs: number;
}

export interface VaeLabRound {
  tflab: PerStep;
  pytorch: PerStep;
  /** who ran first in this round */
  first: "tflab" | "pytorch";
}

export function perStep(short: Timed, long: Timed, steps = LONG_STEPS - SHORT_STEPS): PerStep {
  return {
    wallMs: (1000 * (long.wallSeconds - short.wallSeconds)) / steps,
    cpuMs: (1000 * (long.cpuSeconds - short.cpuSeconds)) / steps,
  };
}

const REFERENCE = fileURLToPath(new URL("./reference/vae_mnist_torch.py", import.meta.url));

const labRun = (steps: number, o: { seed: number; backend: string }) =>
  timeLab(
    "vae-mnist",
    ["--epochs", "1", "--max-steps", `${steps}`, "--seed", `${o.seed}`, "--backend", o.backend],
    (timed) => Promise.resolve(timed),
    { env: ONE_THREAD },
  );

const referenceRun = (steps: number, o: { seed: number; python: string }) =>
  timeCommand([o.python, REFERENCE, bundledMnistDir(), "1", `${o.seed}`, `${steps}`], { env: ONE_THREAD });

/** `rounds` rounds of the four runs, the side that goes first alternating from round to round. */
export async function benchVaeLabStep(
  o: { rounds: number; seed: number; backend: string; python: string },
): Promise<VaeLabRound[]> {
  const rounds: VaeLabRound[] = [];
  const sides = {
    tflab: async () => perStep(await labRun(SHORT_STEPS, o), await labRun(LONG_STEPS, o)),
    pytorch: async () => perStep(await referenceRun(SHORT_STEPS, o), await referenceRun(LONG_STEPS, o)),
  };
  for (let r = 0; r < o.rounds; r++) {
    const first: VaeLabRound["first"] = r % 2 === 0 ? "tflab" : "pytorch";
    const firstTimes = await sides[first]();
    const otherTimes = await sides[first === "tflab" ? "pytorch" : "tflab"]();
    const round = first === "tflab"
      ? { tflab: firstTimes, pytorch: otherTimes, first }
      : { tflab: otherTimes, pytorch: firstTimes, first };
    console.error(`  round ${r + 1}: ${vaeLabTable([round])[1].slice(1).join("  ")}`);
    rounds.push(round);
  }
  return rounds;
}

/** The table's lines: a header, a row per round, then the medians (of each column, and of the rounds' ratios). */
export function vaeLabTable(rounds: VaeLabRound[]): string[][] {
  const lines = [[
    "round",
    "first",
    "tflab ms/step (wall)",
    "PyTorch ms/step (wall)",
    "ratio (wall)",
    "tflab ms/step (CPU)",
    "PyTorch ms/step (CPU)",
    "ratio (CPU)",
  ]];
  const row = (label: string, first: string, t: PerStep, p: PerStep, wallRatio: number, cpuRatio: number) => [
    label,
    first,
    t.wallMs.toFixed(2),
    p.wallMs.toFixed(2),
    `${wallRatio.toFixed(2)}x`,
    t.cpuMs.toFixed(2),
    p.cpuMs.toFixed(2),
    `${cpuRatio.toFixed(2)}x`,
  ];
  rounds.forEach(({ tflab, pytorch, first }, i) => {
    lines.push(row(`${i + 1}`, first, tflab, pytorch, tflab.wallMs / pytorch.wallMs, tflab.cpuMs / pytorch.cpuMs));
  });
  if (rounds.length > 1) {
    const of = (side: "tflab" | "pytorch") => ({
      wallMs: median(rounds.map((r) => r[side].wallMs)),
      cpuMs: median(rounds.map((r) => r[side].cpuMs)),
    });
    const ratios = (key: keyof PerStep) => rounds.map((r) => r.tflab[key] / r.pytorch[key]);
    const wall = ratios("wallMs"), cpu = ratios("cpuMs");
    lines.push(row("median", "", of("tflab"), of("pytorch"), median(wall), median(cpu)));
    const range = (values: number[]) => `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}x`;
    lines.push(["range", "", "", "", range(wall), "", "", range(cpu)]);
  }
  return lines;
}
