/**
 * The reinforce-cartpole lab end to end on the wasm backend, on budgets of seconds: it learns,
 * holds no more tensors after many updates than after the first, and --max-steps caps env steps.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../labs/reinforce_cartpole.ts";
import { loadLatestCheckpoint } from "../../lib/checkpoint.ts";
import { readEvents } from "../../lib/run/run_reader.ts";
import type { RunEvent } from "../../lib/run/types.ts";
import { markInterrupted, scalars, withTempDir } from "../helpers.ts";
import { QUIET, runLab as runLabWith } from "./rl_lab_helpers.ts";

/** [step, key, value] of each scalar event, in the order logged; not speed, which is timing. */
const logged = (list: RunEvent[]) =>
  list.flatMap((e) => (e.kind === "scalar" && e.key !== "charts/sps" ? [[e.step, e.key, e.value]] : []));

const runLab = (runsDir: string, flags: string[]) => runLabWith(main, runsDir, flags);

Deno.test("reinforce-cartpole - learns well past random play in 200 episodes, with no tensor growth", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(runsDir, [
      "--seed",
      "1",
      "--episodes",
      "200",
      "--eval-every",
      "50",
      "--eval-episodes",
      "20",
    ]);
    const events = await readEvents(dir);
    const evals = scalars(events, "eval/mean_return");
    assert.deepEqual(evals.map((e) => e.step), [50, 100, 150, 200]);
    // A uniformly random policy averages about 22 steps; the untrained greedy one about 9.
    assert.ok(evals.at(-1)!.value >= 75, `greedy returns ${evals.map((e) => e.value)} by episode 200`);
    const lengths = scalars(events, "charts/episodic_length").map((e) => e.value);
    assert.equal(lengths.length, 200);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(lengths.slice(-20)) > 2 * mean(lengths.slice(0, 20)), "training episodes got longer");
    for (const key of ["policy_loss", "value_loss", "entropy", "approx_kl"]) {
      assert.equal(scalars(events, `losses/${key}`).length, 200, key);
    }
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.equal(summary.episodes, 200);
    assert.equal(summary.envSteps, lengths.reduce((a, b) => a + b, 0));
    assert.equal(summary["eval/mean_return"], evals.at(-1)!.value);
    // The best evaluation beside the final one: the first with the highest mean, and its spread.
    const best = evals.find((e) => e.value === Math.max(...evals.map((x) => x.value)))!;
    const stdThen = scalars(events, "eval/std_return").find((e) => e.step === best.step)!.value;
    assert.deepEqual(summary.bestEval, { mean: best.value, std: stdThen, step: best.step });
    assert.equal(summary.backend, "wasm");
    // Tensors: as many after the 200th update as after the first, through evaluations and checkpoints.
    const counts = scalars(events, "system/num_tensors").map((e) => e.value);
    assert.equal(counts.length, 200);
    assert.deepEqual(counts, counts.map(() => counts[0]), `tensors per update: ${counts}`);
  });
});

Deno.test("reinforce-cartpole - --max-steps stops after the update that reaches that many env steps", async () => {
  await withTempDir(async (runsDir) => {
    const dir = await runLab(runsDir, ["--max-steps", "300", "--eval-episodes", "5"]);
    const lengths = scalars(await readEvents(dir), "charts/episodic_length").map((e) => e.value);
    const total = lengths.reduce((a, b) => a + b, 0);
    assert.ok(total >= 300 && total - lengths.at(-1)! < 300, `episodes ${lengths} for a cap of 300`);
    const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
    assert.deepEqual([summary.envSteps, summary.episodes], [total, lengths.length]);
    assert.equal((await loadLatestCheckpoint(join(dir, "checkpoints"))).step, lengths.length);
  });
});

Deno.test("reinforce-cartpole - a run resumed from its checkpoint logs what the unbroken run logs, bit for bit", async () => {
  await withTempDir(async (root) => {
    const flags = [
      "--seed",
      "3",
      "--batch-episodes",
      "2",
      "--checkpoint-every",
      "10",
      "--eval-every",
      "2",
      "--eval-episodes",
      "5",
    ];
    const reference = await readEvents(await runLab(join(root, "reference"), [...flags, "--episodes", "30"]));
    const dir = await runLab(join(root, "resumed"), [...flags, "--episodes", "30", "--max-steps", "1"]);
    assert.equal((await loadLatestCheckpoint(join(dir, "checkpoints"))).step, 2);
    // As if killed after a checkpoint: resume it, without the cap, to the end.
    await markInterrupted(dir);
    await main(["--resume", dir, "--max-steps", "0", ...QUIET]);
    const resumed = logged(await readEvents(dir));
    assert.ok(resumed.some(([step]) => (step as number) === 30), "the resumed run reached episode 30");
    assert.deepEqual(resumed, logged(reference));
  });
});

Deno.test("reinforce-cartpole - losses are read back --log-every updates at a time, each logged at its own episode", async () => {
  await withTempDir(async (root) => {
    const flags = [
      "--seed",
      "2",
      "--batch-episodes",
      "2",
      "--log-every",
      "4",
      "--eval-every",
      "100",
      "--eval-episodes",
    ];
    const dir = await runLab(join(root, "whole"), [...flags, "5", "--episodes", "30", "--checkpoint-every", "10"]);
    const events = await readEvents(dir);
    // every update (2 episodes) has its losses at its own step
    const steps = scalars(events, "losses/value_loss").map((e) => e.step);
    assert.deepEqual(steps, Array.from({ length: 15 }, (_, i) => 2 * (i + 1)));
    // ... written after the episodes of the updates read with them: update 1's after episode 8's return
    const at = (key: string, step: number) =>
      events.findIndex((e) => e.kind === "scalar" && e.key === key && e.step === step);
    assert.ok(at("losses/value_loss", 2) > at("charts/episodic_return", 8), "update 1's losses read with update 4's");
    // and before the checkpoint at episode 10 (update 5, not a multiple of 4): nothing left unlogged there
    assert.ok(at("losses/value_loss", 10) < events.findIndex((e) => e.kind === "scalar" && e.step > 10));

    // A run stopped at a checkpoint between two reads and resumed logs the same events (in another order).
    const broken = await runLab(join(root, "broken"), [
      ...flags,
      "5",
      "--episodes",
      "30",
      "--checkpoint-every",
      "10",
      "--max-steps",
      "1",
    ]);
    await markInterrupted(broken);
    await main(["--resume", broken, "--max-steps", "0", ...QUIET]);
    const unordered = (list: RunEvent[]) =>
      logged(list).filter(([, key]) => !(key as string).startsWith("eval/")).map(String).sort();
    assert.deepEqual(unordered(await readEvents(broken)), unordered(events));
  });
});
