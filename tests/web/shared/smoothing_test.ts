/** Smoothing against naive references: TensorBoard's debiased EMA and a trailing mean, and resuming from state. */
import assert from "node:assert/strict";
import { parseSmoothing, Smoother, smoothSeries } from "../../../web/shared/smoothing.ts";
import { assertClose } from "../../helpers.ts";

const values = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 10 + i);

Deno.test("smoothing - debiased EMA matches the weighted-average definition", () => {
  const w = 0.8;
  const { smoothed } = smoothSeries(values, { mode: "ema", amount: w });
  // s_t = sum_i w^(t-i) (1-w) x_i / (1 - w^t): a weighted average whose weights sum to 1.
  const reference = values.map((_, t) => {
    let num = 0, den = 0;
    for (let i = 0; i <= t; i++) {
      num += Math.pow(w, t - i) * values[i];
      den += Math.pow(w, t - i);
    }
    return num / den;
  });
  assertClose(smoothed, reference, { rtol: 1e-12 });
  assert.equal(smoothed[0], values[0], "the first point is not biased towards 0");
});

Deno.test("smoothing - moving average is the mean of the last window points", () => {
  const { smoothed } = smoothSeries(values, { mode: "mean", amount: 5 });
  values.forEach((_, t) => {
    const window = values.slice(Math.max(0, t - 4), t + 1);
    assertClose(smoothed[t], window.reduce((a, b) => a + b) / window.length, { rtol: 1e-12 });
  });
});

Deno.test("smoothing - resuming from a saved state continues exactly", () => {
  for (const smoothing of [{ mode: "ema", amount: 0.9 }, { mode: "mean", amount: 7 }] as const) {
    const whole = smoothSeries(values, smoothing).smoothed;
    const head = smoothSeries(values.slice(0, 20), smoothing);
    const resumed = Smoother.resume(JSON.parse(JSON.stringify(head.state)));
    assert.deepEqual([...head.smoothed, ...values.slice(20).map((v) => resumed.push(v))], whole);
  }
});

Deno.test("smoothing - weight 0 is no smoothing; non-finite values pass through; bad text gives the default", () => {
  assert.deepEqual(smoothSeries(values, { mode: "ema", amount: 0 }).smoothed, values);
  const smoother = Smoother.of({ mode: "ema", amount: 0.5 });
  assert.ok(Number.isNaN(smoother.push(NaN)));
  assert.equal(smoother.push(4), 4);
  assert.deepEqual(parseSmoothing("mean:25"), { mode: "mean", amount: 25 });
  assert.deepEqual(parseSmoothing("ema:1.5"), { mode: "ema", amount: 0.6 });
  assert.deepEqual(parseSmoothing("median:3"), { mode: "ema", amount: 0.6 });
});
