/**
 * `deno task sweep` end to end with real lab processes (tabular Q-learning, a second or two per
 * trial; diffusion-mnist for a trial that fails): a grid over two seeds in parallel, its report
 * against the runs' own summaries by hand, a bad value refused before anything is written, a
 * failing trial retried then failed while the sweep completes, a sweep stopped (SIGTERM, and
 * kill -9) and continued with each trial run exactly once, and successive halving over two rungs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { listRuns, readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunInfo } from "../../lib/run/types.ts";
import { listSweeps, type SweepManifest } from "../../lib/sweep/manifest.ts";
import { meanStd, type SweepReport } from "../../lib/sweep/report.ts";
import { assertClose, cliCommand, runCli, withTempDir } from "../helpers.ts";
import { TINY_DIFFUSION } from "./tiny_diffusion.ts";

const LAB = "qlearning-frozenlake";
/** 20,000 env steps, evaluated once at the end on 100 episodes: about a second per trial. */
const SHORT = ["--total-timesteps", "20000", "--eval-every", "20000", "--eval-episodes", "100", "--log-every", "5000"];

async function onlySweep(runsDir: string): Promise<SweepManifest> {
  const sweeps = await listSweeps(runsDir);
  assert.equal(sweeps.length, 1, `sweeps: ${sweeps.map((s) => s.id)}`);
  return sweeps[0];
}

const summaryOf = async (runsDir: string, run: string) =>
  JSON.parse(await Deno.readTextFile(join(runsDir, run, "summary.json")));

async function reportJson(runsDir: string, id: string): Promise<SweepReport> {
  const { code, stdout, stderr } = await runCli(["sweep", "report", id, "--json", "--runs-dir", runsDir]);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

/** The most attempts that ran at the same moment. */
function maxOverlap(manifest: SweepManifest): number {
  const edges = manifest.trials.flatMap((t) => t.attempts).flatMap((a) => [
    { at: Date.parse(a.startedAt), delta: 1 },
    { at: Date.parse(a.endedAt!), delta: -1 },
  ]).sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0, most = 0;
  for (const edge of edges) most = Math.max(most, now += edge.delta);
  return most;
}

/** Each trial has exactly one run directory, and that run names it. */
async function assertOneRunPerTrial(runsDir: string, manifest: SweepManifest): Promise<RunInfo[]> {
  const runs = await listRuns(runsDir);
  assert.equal(runs.length, manifest.trials.length, `runs: ${runs.map((r) => r.id)}`);
  for (const trial of manifest.trials) {
    const run = runs.find((r) => r.id === trial.run);
    assert.ok(run, `no run for ${trial.id}`);
    assert.deepEqual(run.sweep, { id: manifest.id, trial: trial.id });
  }
  return runs;
}

Deno.test("sweep - a grid over two seeds runs two at a time, records each trial in its run, reports mean ± std", async () => {
  await withTempDir(async (runsDir) => {
    const { code, stdout, stderr } = await runCli([
      ...["sweep", LAB, "--grid", "alpha=0.05,0.2", "--seeds", "1,2", "--parallel", "2", "--runs-dir", runsDir],
      ...["--", ...SHORT],
    ]);
    assert.equal(code, 0, stderr);
    const manifest = await onlySweep(runsDir);
    assert.equal(manifest.status, "finished");
    assert.deepEqual(manifest.trials.map((t) => [t.status, t.attempts.length]), Array(4).fill(["done", 1]));
    assert.equal(maxOverlap(manifest), 2, "two trials at a time, never more");
    const runs = await assertOneRunPerTrial(runsDir, manifest);
    for (const trial of manifest.trials) {
      const run = runs.find((r) => r.id === trial.run)!;
      const setting = manifest.settings.find((s) => s.id === trial.setting)!;
      assert.equal(run.config.alpha, setting.values.alpha);
      assert.equal(run.config.seed, trial.seed);
      assert.equal(run.better, "higher");
    }

    // The report against the summaries, by hand: mean and sample std per setting, best first.
    const report = await reportJson(runsDir, manifest.id);
    assert.equal(report.headline, "eval/mean_return");
    for (const row of report.rows) {
      const trials = manifest.trials.filter((t) => t.setting === row.setting);
      const values = await Promise.all(trials.map(async (t) => (await summaryOf(runsDir, t.run!))["eval/mean_return"]));
      const [a, b] = values;
      assertClose(row.mean!, (a + b) / 2, { rtol: 1e-12 });
      assertClose(row.std!, Math.abs(a - b) / Math.sqrt(2), { rtol: 1e-12, atol: 1e-12 }); // sqrt(sum sq dev / (n - 1))
      assert.equal(row.n, 2);
    }
    assert.ok(report.rows[0].mean! >= report.rows[1].mean!, "best first");
    // The sweep itself ends with the same table, and naming the finished sweep again runs nothing.
    assert.match(stdout, new RegExp(`^1\\s+${report.rows[0].setting}\\s`, "m"));
    const again = await runCli([
      "sweep",
      LAB,
      "--grid",
      "alpha=0.05,0.2",
      "--seeds",
      "1,2",
      "--runs-dir",
      runsDir,
      "--",
      ...SHORT,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /has finished; its report/);
    assert.equal((await listRuns(runsDir)).length, 4);
  });
});

Deno.test("sweep - a bad value is refused with the lab's message, exit 2, before anything is written", async () => {
  await withTempDir(async (dir) => {
    const runsDir = join(dir, "runs");
    const { code, stderr } = await runCli(["sweep", LAB, "--grid", "alpha=0.05,2", "--runs-dir", runsDir]);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^error: --grid alpha=0\.05,2: Invalid value '2' for --alpha: above the maximum; expected a number from 0 to 1\.$/m,
    );
    const typo = await runCli([
      "sweep",
      LAB,
      "--seeds",
      "1-3",
      "--grid",
      "alpha=0.05",
      "--runs-dir",
      runsDir,
      "--",
      "--total-timestep",
      "9",
    ]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /after --: Unknown flag --total-timestep\. Did you mean --total-timesteps/);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), [], "nothing written");
  });
});

Deno.test("sweep - a failing trial is retried, then failed with its error, while the sweep completes", async () => {
  await withTempDir(async (runsDir) => {
    const { code, stderr } = await runCli([
      ...["sweep", "diffusion-mnist", "--grid", "width=4,5", "--parallel", "2", "--runs-dir", runsDir],
      ...["--", ...TINY_DIFFUSION, "--sample-batch", "64"],
    ]);
    assert.equal(code, 0, stderr);
    const manifest = await onlySweep(runsDir);
    assert.equal(manifest.status, "finished");
    const [good, bad] = manifest.trials;
    assert.equal(good.status, "done");
    assert.equal(bad.status, "failed");
    assert.deepEqual(bad.attempts.map((a) => a.outcome), ["failed", "failed"], "tried once more (--retries 1)");
    assert.match(bad.error!, /^exit 2: --width must be even .*got 5$/);
    assert.match(stderr, /t002 s02 \(width=5\) seed 1: failed \(exit 2: --width must be even.*\); trying again/);
    assert.match(stderr, /gives up \(log: .*t002\.log\)/);
    assert.match(await Deno.readTextFile(join(runsDir, "sweeps", manifest.id, "t002.log")), /--width must be even/);
    const [row] = (await reportJson(runsDir, manifest.id)).rows.filter((r) => r.setting === "s02");
    assert.deepEqual([row.n, row.failed, row.mean], [0, 1, null]);
  });
});

/** A sweep whose second setting trains long enough to be stopped mid-way: 300,000 env steps, checkpointed every 20,000. */
const STOPPABLE = (runsDir: string) => [
  ...[
    "sweep",
    LAB,
    "--grid",
    "total-timesteps=20000,300000",
    "--seeds",
    "1,2",
    "--parallel",
    "2",
    "--runs-dir",
    runsDir,
  ],
  ...["--", "--eval-every", "20000", "--eval-episodes", "100", "--log-every", "5000", "--checkpoint-every", "20000"],
];

/**
 * Waits until both trials of the long setting run and have written a checkpoint: seconds alone, but
 * over a minute once in a CI run with the other test files on the same two cores.
 */
async function untilLongTrialsCheckpointed(runsDir: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const manifest = (await listSweeps(runsDir))[0];
    const long = manifest?.trials.filter((t) => t.setting === "s02") ?? [];
    const checkpointed = await Promise.all(long.map(async (t) =>
      t.status === "running" && t.run &&
      (await Array.fromAsync(Deno.readDir(join(runsDir, t.run, "checkpoints"))).catch(() => [])).length > 0
    ));
    if (checkpointed.length === 2 && checkpointed.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the long trials never ran with a checkpoint");
}

Deno.test("sweep - stopped mid-way (SIGTERM), `resume` continues the stopped trials from their checkpoints, once each", async () => {
  await withTempDir(async (runsDir) => {
    const sweep = cliCommand(STOPPABLE(runsDir)).spawn();
    await untilLongTrialsCheckpointed(runsDir);
    sweep.kill("SIGTERM");
    const stopped = await sweep.output();
    const stderr = new TextDecoder().decode(stopped.stderr);
    assert.equal(stopped.code, 130, stderr);
    let manifest = await onlySweep(runsDir);
    assert.match(stderr, new RegExp(`Continue with: deno task sweep resume ${manifest.id}`));
    assert.equal(manifest.status, "interrupted");
    assert.deepEqual(manifest.trials.map((t) => t.status), ["done", "done", "pending", "pending"]);
    for (const trial of manifest.trials.slice(2)) {
      assert.equal(trial.attempts.at(-1)!.outcome, "interrupted");
      assert.equal((await readRunInfo(join(runsDir, trial.run!))).status, "interrupted");
    }
    const finishedBefore = await Promise.all(
      manifest.trials.slice(0, 2).map((t) => Deno.readTextFile(join(runsDir, t.run!, "run.json"))),
    );

    const resumed = await runCli(["sweep", "resume", manifest.id, "--runs-dir", runsDir]);
    assert.equal(resumed.code, 0, resumed.stderr);
    manifest = await onlySweep(runsDir);
    assert.equal(manifest.status, "finished");
    assert.ok(manifest.trials.every((t) => t.status === "done"));
    const runs = await assertOneRunPerTrial(runsDir, manifest);
    assert.ok(runs.every((r) => r.status === "finished"));
    // The finished trials were not run again; the stopped ones continued their own runs from a checkpoint.
    assert.deepEqual(
      await Promise.all(manifest.trials.slice(0, 2).map((t) => Deno.readTextFile(join(runsDir, t.run!, "run.json")))),
      finishedBefore,
    );
    for (const trial of manifest.trials.slice(2)) {
      assert.deepEqual(trial.attempts.map((a) => [a.outcome, a.resumed, a.run]), [
        ["interrupted", false, trial.run],
        ["finished", true, trial.run],
      ]);
      const info = await readRunInfo(join(runsDir, trial.run!));
      assert.equal(info.resumes.length, 1);
      assert.ok(info.resumes[0].fromStep > 0);
      assert.equal((await summaryOf(runsDir, trial.run!)).envSteps, 300_000);
    }
  });
});

Deno.test("sweep - killed with SIGKILL, the same command again waits for its trials and runs none twice", async () => {
  await withTempDir(async (runsDir) => {
    const sweep = cliCommand(STOPPABLE(runsDir)).spawn();
    await untilLongTrialsCheckpointed(runsDir);
    sweep.kill("SIGKILL"); // its trials, each in a session of its own, train on
    await sweep.output();
    const again = await runCli(STOPPABLE(runsDir));
    assert.equal(again.code, 0, again.stderr);
    const manifest = await onlySweep(runsDir);
    assert.equal(manifest.status, "finished");
    const runs = await assertOneRunPerTrial(runsDir, manifest);
    assert.ok(runs.every((r) => r.status === "finished" && r.resumes.length === 0), "each run trained once, unbroken");
  });
});

Deno.test("sweep - successive halving over 3 settings and 2 rungs continues the best from its checkpoint", async () => {
  await withTempDir(async (runsDir) => {
    const { code, stderr } = await runCli([
      ...["sweep", LAB, "--grid", "alpha=0.01,0.05,0.2", "--method", "halving", "--budgets", "4000,12000"],
      ...["--parallel", "2", "--runs-dir", runsDir, "--"],
      ...["--total-timesteps", "20000", "--eval-every", "4000", "--eval-episodes", "100", "--checkpoint-every", "2000"],
    ]);
    assert.equal(code, 0, stderr);
    const manifest = await onlySweep(runsDir);
    assert.deepEqual(manifest.halving, { flag: "max-steps", budgets: [4000, 12000], eta: 3 });
    // By hand: the setting whose run evaluated best at 4,000 env steps (the first on a tie) goes on.
    const at4000 = await Promise.all(manifest.trials.map(async (t) => {
      const events = await readEvents(join(runsDir, t.run!));
      return events.find((e) => e.kind === "scalar" && e.key === "eval/mean_return" && e.step === 4000)!;
    }));
    const values = at4000.map((e) => (e.kind === "scalar" ? e.value : NaN));
    const best = manifest.trials[values.indexOf(Math.max(...values))];
    assert.match(stderr, new RegExp(`rung --max-steps 12000: continuing ${best.setting} `));
    const report = await reportJson(runsDir, manifest.id);
    assert.equal(report.rows[0].setting, best.setting);
    for (const row of report.rows) {
      const trial = manifest.trials.find((t) => t.setting === row.setting)!;
      const info = await readRunInfo(join(runsDir, trial.run!));
      const summary = await summaryOf(runsDir, trial.run!);
      const kept = trial === best;
      assert.deepEqual([row.budget, row.stopped], kept ? [12000, false] : [4000, true]);
      assert.equal(info.config.maxSteps, row.budget);
      assert.equal(info.resumes.length, kept ? 1 : 0);
      assert.equal(summary.envSteps, row.budget);
      assert.equal(row.mean, meanStd([summary["eval/mean_return"]]).mean);
    }
  });
});
