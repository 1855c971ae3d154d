/** The DDPM noise schedule: the paper's linear betas, alpha-bar as the running product, and the sampler's steps. */
import assert from "node:assert/strict";
import { alphaBarBefore, linearSchedule, samplingTimesteps } from "../../../lib/diffusion/schedule.ts";
import { assertClose } from "../../helpers.ts";

Deno.test("schedule - the default is Ho et al.'s: T = 1000, beta linear from 1e-4 to 0.02", () => {
  const { steps, betas, alphas } = linearSchedule();
  assert.equal(steps, 1000);
  assertClose([betas[0], betas[999]], [1e-4, 0.02], { rtol: 1e-12, atol: 0 });
  const increment = (0.02 - 1e-4) / 999;
  for (let t = 1; t < steps; t++) assertClose(betas[t] - betas[t - 1], increment, { rtol: 1e-9, atol: 0 });
  for (let t = 0; t < steps; t++) assert.equal(alphas[t], 1 - betas[t]);
});

Deno.test("schedule - alpha-bar_t is the product of 1 - beta_s over s <= t, multiplied out afresh for each t", () => {
  const { betas, alphaBars } = linearSchedule();
  for (const t of [0, 1, 2, 10, 100, 500, 998, 999]) {
    let product = 1;
    for (let s = 0; s <= t; s++) product *= 1 - betas[s];
    assertClose(alphaBars[t], product, { rtol: 1e-12, atol: 0 });
  }
  // The signal is almost gone at T (Ho et al.: x_T is close to N(0, I)) and alpha-bar falls monotonically.
  assert.ok(alphaBars[999] < 1e-4 && alphaBars[999] > 0, `alpha-bar_T ${alphaBars[999]}`);
  assert.ok(alphaBars.every((a, t) => t === 0 || a < alphaBars[t - 1]));
  const schedule = linearSchedule();
  assert.equal(alphaBarBefore(schedule, 0), 1);
  assert.equal(alphaBarBefore(schedule, 5), alphaBars[4]);
});

Deno.test("schedule - the sampler visits every step for T, evenly spaced ones for fewer, noisiest first", () => {
  const schedule = linearSchedule();
  assert.deepEqual(samplingTimesteps(schedule, 1000), Array.from({ length: 1000 }, (_, i) => 999 - i));
  const fifty = samplingTimesteps(schedule, 50);
  assert.deepEqual(fifty.slice(0, 3), [980, 960, 940]);
  assert.equal(fifty.at(-1), 0);
  assert.equal(new Set(fifty).size, 50);
  assert.throws(() => samplingTimesteps(schedule, 0), /count must be an integer in \[1, 1000\], got 0/);
  assert.throws(() => linearSchedule({ betaStart: 0.1, betaEnd: 0.01 }), /0 < betaStart <= betaEnd < 1/);
});
