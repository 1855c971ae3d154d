/**
 * Planning a sweep, in-process against real lab specs: the grid's product, seeded random draws
 * inside their ranges, seeds, halving's rungs, and every refusal in the lab's own words.
 */
import assert from "node:assert/strict";
import { lab as qlearning } from "../../labs/qlearning_frozenlake.ts";
import { lab as vae } from "../../labs/vae_mnist.ts";
import type { Spec } from "../../lib/hparams.ts";
import type { Lab } from "../../runner/lab.ts";
import { parseSweepArgs } from "../../sweep/sweep_args.ts";
import { labArgs, planSweep } from "../../sweep/sweep_plan.ts";

const plan = async (lab: Lab<Spec>, argv: string[]) => await planSweep(lab, parseSweepArgs(lab.id, argv));

Deno.test("sweep plan - a grid is the product of its lists, each setting's trials one per seed", async () => {
  const sweep = await plan(vae, [
    "--grid",
    "lr=1e-3,3e-4",
    "--grid",
    "latent=2,20",
    "--seeds",
    "1-3",
    "--",
    "--epochs",
    "3",
  ]);
  assert.deepEqual(sweep.settings.map((s) => s.values), [
    { lr: 0.001, latent: 2 },
    { lr: 0.001, latent: 20 },
    { lr: 0.0003, latent: 2 },
    { lr: 0.0003, latent: 20 },
  ]);
  assert.equal(sweep.trials.length, 12);
  assert.deepEqual(sweep.trials.slice(0, 3).map((t) => [t.id, t.setting, t.seed]), [
    ["t001", "s01", 1],
    ["t002", "s01", 2],
    ["t003", "s01", 3],
  ]);
  assert.deepEqual(labArgs(sweep, sweep.settings[2], 2), [
    "--epochs",
    "3",
    "--lr",
    "3e-4",
    "--latent",
    "2",
    "--seed",
    "2",
  ]);
  assert.equal(sweep.headline, "eval/nelbo");
  assert.equal(sweep.better, "lower");
  assert.match(sweep.id, /^vae-mnist-[0-9a-f]{8}$/);
  // The same command names the same sweep (so running it again continues it); another does not.
  assert.equal(
    (await plan(vae, ["--grid", "lr=1e-3,3e-4", "--grid", "latent=2,20", "--seeds", "1-3", "--", "--epochs", "3"])).id,
    sweep.id,
  );
  assert.notEqual(
    (await plan(vae, ["--grid", "lr=1e-3,3e-4", "--grid", "latent=2,20", "--seeds", "1,2"])).id,
    sweep.id,
  );
});

Deno.test("sweep plan - random search: seeded, distinct, inside its ranges, log-uniform and integer where asked", async () => {
  const argv = [
    "--random",
    "40",
    "--range",
    "lr=log:1e-4..1e-2",
    "--range",
    "hidden=int:64..512",
    "--grid",
    "arch=mlp,conv",
  ];
  const sweep = await plan(vae, argv);
  assert.equal(sweep.settings.length, 40);
  assert.deepEqual((await plan(vae, argv)).settings, sweep.settings, "the same --sweep-seed draws the same");
  assert.notDeepEqual((await plan(vae, [...argv, "--sweep-seed", "2"])).settings, sweep.settings);
  const lrs = sweep.settings.map((s) => s.values.lr as number), hidden = sweep.settings.map((s) => s.values.hidden);
  assert.ok(lrs.every((lr) => lr >= 1e-4 && lr <= 1e-2), `lr out of range: ${lrs}`);
  assert.ok(hidden.every((h) => Number.isInteger(h) && (h as number) >= 64 && (h as number) <= 512));
  // Log-uniform: about half the draws below the geometric middle 1e-3 (a uniform draw puts ~9% there).
  const below = lrs.filter((lr) => lr < 1e-3).length;
  assert.ok(below >= 10 && below <= 30, `${below} of 40 below 1e-3`);
  assert.deepEqual([...new Set(sweep.settings.map((s) => s.values.arch))].sort(), ["conv", "mlp"]);
  assert.equal(new Set(sweep.settings.map((s) => JSON.stringify(s.values))).size, 40, "settings are distinct");
  assert.equal(sweep.search.kind, "random");
});

Deno.test("sweep plan - halving: the budget flag from the lab's spec, rungs checked, first rung queued", async () => {
  const epochs = await plan(vae, ["--grid", "lr=1e-3,3e-4", "--method", "halving", "--budgets", "1,3"]);
  assert.deepEqual(epochs.halving, { flag: "epochs", budgets: [1, 3], eta: 3 });
  assert.ok(epochs.trials.every((t) => t.budget === 1));
  assert.deepEqual(labArgs(epochs, epochs.settings[0], 1), ["--lr", "1e-3", "--seed", "1", "--epochs", "1"]);
  // An RL lab has no epochs: its budget is --max-steps (env steps).
  const steps = await plan(qlearning, ["--grid", "alpha=0.05,0.2", "--method", "halving", "--budgets", "1000,3000"]);
  assert.equal(steps.halving?.flag, "max-steps");
});

async function refused(lab: Lab<Spec>, argv: string[], message: RegExp): Promise<void> {
  await assert.rejects(() => plan(lab, argv), (error: Error) => {
    assert.equal(error.name, "UsageError");
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("sweep plan - a bad value is refused with the lab's own message, naming where it came from", async () => {
  await refused(vae, ["--grid", "lr=1e-3,fast"], /^--grid lr=1e-3,fast: Invalid value 'fast' for --lr: not a number/);
  await refused(
    vae,
    ["--grid", "latent=2,0"],
    /Invalid value '0' for --latent: below the minimum; expected an integer/,
  );
  await refused(vae, ["--grid", "arch=mlp,cnn"], /Invalid value 'cnn' for --arch: not one of the choices/);
  await refused(vae, ["--grid", "lattent=2"], /^--grid lattent=2: Unknown flag --lattent\. Did you mean --latent/);
  await refused(vae, ["--random", "3", "--range", "lr=log:0..1e-2"], /a log range needs a low end above 0/);
  await refused(vae, ["--random", "3", "--range", "lr=int:1..3"], /int: draws integers, but --lr takes any number/);
  await refused(vae, ["--random", "3", "--range", "arch=1..3"], /--arch takes a string/);
  await refused(vae, ["--range", "lr=1e-4..1e-2"], /a range needs --random N/);
  await refused(vae, ["--grid", "seed=1,2"], /--seed cannot be set in a sweep: the sweep's --seeds/);
  await refused(vae, ["--seeds", "1,x"], /--seeds 1,x: Invalid value 'x' for --seed/);
  await refused(vae, ["--seeds", "1,1"], /a seed is given twice/);
  await refused(vae, ["--grid", "lr=1e-3", "--", "--lr", "1e-2"], /--lr is given after -- and also swept/);
  await refused(vae, ["--", "--epochs", "0"], /^after --: Invalid value '0' for --epochs/);
  await refused(vae, ["--", "--runs-dir", "x"], /--runs-dir cannot be set in a sweep/);
  await refused(vae, ["--method", "halving"], /--method halving needs --budgets/);
  await refused(vae, ["--method", "halving", "--budgets", "3,1"], /two or more increasing values of --epochs/);
  await refused(vae, ["--budgets", "1,3"], /--budgets is for --method halving/);
  await refused(vae, ["--paralel", "2"], /Unknown flag --paralel\. Did you mean --parallel\?.*after --/);
});
