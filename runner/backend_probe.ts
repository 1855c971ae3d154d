/**
 * Times a few real training steps of a lab, with the run's own flags, on one backend. The labs
 * share no step function (an epoch loop, PPO's rollouts and updates, DQN's replay, a tabular
 * table), so the probe runs the lab itself: a child process, `lab <id> <the run's flags>
 * --backend B --no-dashboard`, into a temporary runs folder, killed once it has trained enough.
 * What is timed is then exactly what the run would do per step, start-up excluded: model and
 * data on that backend, the lab's own read-backs (once per --log-every) and, in RL labs, acting
 * in the environments between updates.
 *
 * The clock is the lab's own events: a mark is the first training event (a train/* or losses/*
 * scalar) at a new step. The first mark ends the warm-up (kernel and shader compilation, the
 * first window); `windows` more are timed, and the figure is their time over their steps, in ms
 * per lab step (an optimisation step; an env step in RL labs). Every candidate runs the same
 * seeded lab, so its marks fall at the same steps: a candidate that has not covered the steps
 * the fastest one timed in the time that one took is slower, and is stopped there with a bound.
 */
import { join } from "node:path";
import { EventTail } from "../lib/run/event_tail.ts";
import { flagName, type Spec } from "../lib/hparams.ts";
import { selfCommand } from "./detach.ts";

/** Deno, the lab's modules, the backend and the data: the most a lab may take to create its run. */
const START_UP_MS = 60_000;

export interface ProbeResult {
  msPerStep: number | null;
  /** from the lab's first event (its run created: start-up done) to the end of its last timed window */
  trainingMs?: number;
  /** the lab steps and ms the figure covers (what a slower candidate is held against) */
  timed?: { steps: number; ms: number };
  /** why there is no figure, or only a bound */
  note?: string;
}

export interface ProbeLimits {
  /** timed windows after the warm-up */
  windows: number;
  /** how long the lab may take from its first event (start-up done) to its first training step */
  warmupMs: number;
  /** the fastest candidate so far: stop this one once it is slower over the same steps */
  fastest?: { name: string; steps: number; ms: number };
}

/** Times `labId` with `args` on `backend`, in a child process. */
export async function probeLab(
  labId: string,
  args: string[],
  backend: string,
  limits: ProbeLimits,
): Promise<ProbeResult> {
  const runsDir = await Deno.makeTempDir({ prefix: "tflab-probe-" });
  const [command, ...rest] = selfCommand();
  const child = new Deno.Command(command, {
    args: [...rest, "lab", labId, ...args, "--backend", backend, "--no-dashboard", "--runs-dir", runsDir],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const log = tailOf(child.stderr);
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  const spawned = Date.now();
  let started: number | undefined; // the time of the lab's first event: its run exists, start-up is over
  const marks: { step: number; time: number }[] = [];
  try {
    let tail: EventTail | null = null;
    while (marks.length <= limits.windows && !exited) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      tail ??= await runTail(runsDir);
      for (const event of tail ? (await tail.read()).events : []) {
        started ??= event.time;
        const training = event.kind === "scalar" && /^(train|losses)\//.test(event.key);
        if (training && event.step !== marks.at(-1)?.step) marks.push({ step: event.step, time: event.time });
      }
      const now = Date.now();
      if (started === undefined && now - spawned > START_UP_MS) {
        return { msPerStep: null, note: `the lab did not start within ${START_UP_MS / 1000} s: ${log.last()}` };
      }
      if (!marks.length && started !== undefined && now - started > limits.warmupMs) {
        return { msPerStep: null, note: `no training step logged within ${Math.round(limits.warmupMs / 1000)} s` };
      }
      const { fastest } = limits;
      if (fastest && marks.length && now - marks[0].time > fastest.ms && marks.length <= limits.windows) {
        const bound = (now - marks[0].time) / fastest.steps;
        return { msPerStep: null, note: `>= ${bound.toPrecision(3)} ms/step: stopped, slower than ${fastest.name}` };
      }
    }
    if (marks.length < 2) {
      await log.drained;
      return { msPerStep: null, note: `the lab exited before ${limits.windows} timed windows: ${log.last()}` };
    }
    const steps = marks.at(-1)!.step - marks[0].step, ms = marks.at(-1)!.time - marks[0].time;
    return { msPerStep: ms / steps, timed: { steps, ms }, trainingMs: marks.at(-1)!.time - started! };
  } finally {
    if (!exited) child.kill("SIGKILL");
    await status;
    await log.drained;
    await Deno.remove(runsDir, { recursive: true }).catch(() => {});
  }
}

/** The run's flags as a command line: the lab's hyperparameters and the seed, nothing about where or how long. */
export function probeArgs(spec: Spec, config: Record<string, unknown>): string[] {
  return Object.keys(spec).flatMap((key) => {
    const value = config[key];
    if (value === undefined) return [];
    if (spec[key].type === "bool") return [value ? `--${flagName(key)}` : `--no-${flagName(key)}`];
    return [`--${flagName(key)}`, String(value)];
  });
}

/** The events of the one run the lab creates in runsDir, once it exists. */
async function runTail(runsDir: string): Promise<EventTail | null> {
  for await (const entry of Deno.readDir(runsDir)) {
    if (entry.isDirectory) return new EventTail(join(runsDir, entry.name));
  }
  return null;
}

/** Drains a child's stderr, keeping its end: `last()` is its last line so far; `drained` settles at its end. */
function tailOf(stream: ReadableStream<Uint8Array>): { last(): string; drained: Promise<void> } {
  let text = "";
  const drained = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text = (text + decoder.decode(chunk, { stream: true })).slice(-4000);
  })().catch(() => {});
  return { last: () => text.trim().split("\n").at(-1) ?? "", drained };
}
