/**
 * The forward process and the samplers on small tensors: q(x_t | x_0) in closed form against the
 * chain iterated one step at a time, the DDPM step against Ho et al.'s algorithm 2 worked by hand,
 * DDIM with eta = 0 deterministic, and both samplers landing on the data point when the noise
 * estimate is exact.
 */
import assert from "node:assert/strict";
import { ddimSigma, ddimStep, ddpmStep, qSample, sample } from "../../../lib/diffusion/sampling.ts";
import { linearSchedule } from "../../../lib/diffusion/schedule.ts";
import { useBackend } from "../../../lib/backend.ts";
import { Rng } from "../../../lib/rng.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await useBackend("wasm");
const schedule = linearSchedule();

Deno.test("q_sample - the closed form's mean coefficient and variance are those of the chain iterated step by step", () => {
  // x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) eps_t: x_t = a_t x_0 + noise of variance v_t, with
  // a_t = sqrt(1 - beta_t) a_{t-1} and v_t = (1 - beta_t) v_{t-1} + beta_t, exactly.
  let [a, v] = [1, 0];
  for (let t = 0; t < schedule.steps; t++) {
    a *= Math.sqrt(1 - schedule.betas[t]);
    v = (1 - schedule.betas[t]) * v + schedule.betas[t];
    assertClose(a, Math.sqrt(schedule.alphaBars[t]), { rtol: 1e-10, atol: 0 });
    assertClose(v, 1 - schedule.alphaBars[t], { rtol: 1e-10, atol: 1e-15 });
  }
});

Deno.test("q_sample - the chain iterated on tensors has the closed form's moments at t = 299", () => {
  // 40,000 chains from x_0 = 0.8: the mean's standard error is sqrt(v / n) ~ 0.004, the variance's
  // about v sqrt(2 / n) ~ 0.0043, so 5 standard errors (0.02) cannot fail by chance (p < 1e-6),
  // while a wrong closed form (e.g. 1 - abar as the standard deviation: 0.78 against 0.61) fails.
  const [n, t] = [40000, 299];
  let x = tf.fill([n], 0.8);
  for (let s = 0; s <= t; s++) {
    const next = tf.tidy(() =>
      tf.add(
        tf.mul(x, Math.sqrt(1 - schedule.betas[s])),
        tf.mul(tf.randomNormal([n], 0, 1, "float32", 1000 + s), Math.sqrt(schedule.betas[s])),
      )
    );
    x.dispose();
    x = next;
  }
  const { mean, variance } = tf.moments(x);
  assertClose(mean.dataSync()[0], 0.8 * Math.sqrt(schedule.alphaBars[t]), { atol: 0.02, rtol: 0 });
  assertClose(variance.dataSync()[0], 1 - schedule.alphaBars[t], { atol: 0.02, rtol: 0 });
  tf.dispose([x, mean, variance]);
});

Deno.test("q_sample - each example is noised to its own step: sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps", () => {
  const x0 = tf.tensor4d([0.5, -1, 0.25, 1], [4, 1, 1, 1]);
  const eps = tf.tensor4d([1, 0.5, -2, 0], [4, 1, 1, 1]);
  const steps = [0, 10, 500, 999];
  const xt = qSample(schedule, x0, { t: tf.tensor1d(steps, "int32"), eps });
  const expected = steps.map((t, i) =>
    Math.sqrt(schedule.alphaBars[t]) * [0.5, -1, 0.25, 1][i] + Math.sqrt(1 - schedule.alphaBars[t]) * [1, 0.5, -2, 0][i]
  );
  assertClose(xt.dataSync(), expected, { rtol: 1e-5, atol: 1e-6 });
  tf.dispose([x0, eps, xt]);
});

const scalar4d = (v: number) => tf.tensor4d([v], [1, 1, 1, 1]);
const value = (x: Tensor) => x.dataSync()[0];

Deno.test("DDPM step - unclipped, it is algorithm 2 with sigma^2 = beta-tilde, worked out by hand", () => {
  const [t, xt, epsHat, z] = [400, 0.3, 0.2, 0.5];
  const [beta, alpha, alphaBar, alphaBarPrev] = [
    schedule.betas[t],
    schedule.alphas[t],
    schedule.alphaBars[t],
    schedule.alphaBars[t - 1],
  ];
  const sigma = Math.sqrt((beta * (1 - alphaBarPrev)) / (1 - alphaBar));
  const expected = (xt - (beta / Math.sqrt(1 - alphaBar)) * epsHat) / Math.sqrt(alpha) + sigma * z;
  const out = ddpmStep(schedule, { xt: scalar4d(xt), epsHat: scalar4d(epsHat), t, z: scalar4d(z), clip: false });
  assertClose(value(out), expected, { rtol: 1e-5, atol: 1e-6 });
});

Deno.test("DDPM step - clipped, the posterior mean is taken at x_0 clipped to [-1, 1]; step 0 adds no noise", () => {
  // x_t = 0.9, eps = -0.5 at t = 50 imply x_0 = (0.9 + 0.5 sqrt(1 - abar)) / sqrt(abar) > 1: clipped to 1.
  const t = 50;
  const [beta, alpha, alphaBar, alphaBarPrev] = [
    schedule.betas[t],
    schedule.alphas[t],
    schedule.alphaBars[t],
    schedule.alphaBars[t - 1],
  ];
  assert.ok((0.9 + 0.5 * Math.sqrt(1 - alphaBar)) / Math.sqrt(alphaBar) > 1);
  const mean = (beta * Math.sqrt(alphaBarPrev)) / (1 - alphaBar) * 1 +
    ((1 - alphaBarPrev) * Math.sqrt(alpha)) / (1 - alphaBar) * 0.9;
  const out = ddpmStep(schedule, { xt: scalar4d(0.9), epsHat: scalar4d(-0.5), t, z: scalar4d(0) });
  assertClose(value(out), mean, { rtol: 1e-5, atol: 1e-6 });
  // At t = 0, x_0 = (x_t - sqrt(beta_0) eps) / sqrt(1 - beta_0) itself, whatever z is.
  const last = ddpmStep(schedule, { xt: scalar4d(0.3), epsHat: scalar4d(0.2), t: 0, z: scalar4d(7) });
  assertClose(value(last), (0.3 - Math.sqrt(schedule.betas[0]) * 0.2) / Math.sqrt(schedule.alphas[0]), { rtol: 1e-5 });
});

Deno.test("DDIM - eta = 1 between neighbouring steps has DDPM's posterior sigma; eta = 0 none", () => {
  for (const t of [1, 300, 999]) {
    const beta = schedule.betas[t];
    const betaTilde = (beta * (1 - schedule.alphaBars[t - 1])) / (1 - schedule.alphaBars[t]);
    assertClose(ddimSigma(schedule, { t, tPrev: t - 1, eta: 1 }), Math.sqrt(betaTilde), { rtol: 1e-9 });
    assert.equal(ddimSigma(schedule, { t, tPrev: t - 1, eta: 0 }), 0);
  }
  // Unclipped, eta = 0: x_prev = sqrt(abar_prev) x_0 + sqrt(1 - abar_prev) eps, by hand.
  const [t, tPrev, xt, eps] = [600, 580, 0.4, -0.3];
  const [ab, abPrev] = [schedule.alphaBars[t], schedule.alphaBars[tPrev]];
  const x0 = (xt - Math.sqrt(1 - ab) * eps) / Math.sqrt(ab);
  const out = ddimStep(schedule, { xt: scalar4d(xt), epsHat: scalar4d(eps), t, tPrev, eta: 0, clip: false });
  assertClose(value(out), Math.sqrt(abPrev) * x0 + Math.sqrt(1 - abPrev) * eps, { rtol: 1e-5, atol: 1e-6 });
});

/** A noise estimate that is exact for data made of one image, `point`: eps = (x_t - sqrt(abar) point) / sqrt(1 - abar). */
const exactFor = (point: Tensor) => (x: Tensor, t: number) =>
  tf.tidy(() =>
    tf.div(tf.sub(x, tf.mul(point, Math.sqrt(schedule.alphaBars[t]))), Math.sqrt(1 - schedule.alphaBars[t]))
  );

Deno.test("DDIM with eta = 0 is deterministic: the same x_T gives the same x_0 under any noise seed", () => {
  const xT = tf.randomNormal([3, 4, 4, 1], 0, 1, "float32", 11);
  // A made-up, imperfect noise estimate, so the answer is not pinned by the data alone.
  const predictNoise = (x: Tensor, t: number) => tf.tidy(() => tf.add(tf.mul(tf.tanh(x), 0.7), t / 2000));
  const run = (eta: number, seed: number) =>
    sample(schedule, { predictNoise, xT, steps: 20, eta, rng: new Rng(seed) }).x0.dataSync();
  assert.deepEqual(run(0, 1), run(0, 2));
  assert.notDeepEqual(run(1, 1), run(1, 2), "with eta = 1 the noise seed matters");
  tf.dispose(xT);
});

Deno.test("DDIM (20 steps) and the full DDPM chain both end on the data point when the noise estimate is exact", () => {
  const point = tf.tensor4d([0.5, -0.25, 0.75, -1], [1, 2, 2, 1]);
  const xT = tf.randomNormal([2, 2, 2, 1], 0, 1, "float32", 5);
  const expected = [...point.dataSync(), ...point.dataSync()];
  for (const [steps, eta] of [[20, 0], [20, 1], [1000, 0]]) {
    const { x0, trajectory } = sample(schedule, {
      predictNoise: exactFor(point),
      xT,
      steps,
      eta,
      rng: new Rng(3),
      record: 5,
    });
    assertClose(x0.dataSync(), expected, { atol: 1e-4, rtol: 0 });
    assert.equal(trajectory.length, 5, `${steps} steps: x_T and 4 later frames`);
    assert.deepEqual(trajectory[0].dataSync(), xT.dataSync());
    assert.deepEqual(trajectory[4].dataSync(), x0.dataSync());
    tf.dispose([x0, ...trajectory]);
  }
  tf.dispose([point, xT]);
});

Deno.test("sampling leaves no tensors behind but x_0 and the trajectory", () => {
  const xT = tf.randomNormal([2, 4, 4, 1], 0, 1, "float32", 5);
  const predictNoise = (x: Tensor) => tf.tidy(() => tf.mul(x, 0.5));
  const before = tf.memory().numTensors;
  const { x0, trajectory } = sample(schedule, { predictNoise, xT, steps: 30, eta: 0.5, rng: new Rng(1), record: 3 });
  assert.equal(tf.memory().numTensors, before + 1 + trajectory.length);
  tf.dispose([x0, ...trajectory, xT]);
});
