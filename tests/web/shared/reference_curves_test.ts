/**
 * Reference curves on a run's axis and the on-track decision, against values worked by hand:
 * interpolation between points, the band, the direction of the metric, epochs placed through the
 * run's own `epoch` scalar, and the places where no reference applies.
 */
import assert from "node:assert/strict";
import {
  configMismatch,
  curveSteps,
  referenceAt,
  type ReferenceCurve,
  stepInUnit,
  stepsPerEpoch,
  verdict,
} from "../../../web/shared/reference_curves.ts";

function curve(patch: Partial<ReferenceCurve>): ReferenceCurve {
  return {
    id: "c",
    label: "a curve",
    kind: "outside",
    metric: "eval/mean_return",
    better: "higher",
    x: "env_steps",
    source: "by hand",
    command: "none",
    points: [],
    ...patch,
  };
}

const returns = curve({
  band: "seeds' range",
  points: [
    { x: 1000, mean: 100, low: 80, high: 120 },
    { x: 2000, mean: 200, low: 100, high: 300 },
  ],
});

Deno.test("referenceAt - interpolates mean and band linearly between points, exact at a point, null outside", () => {
  assert.deepEqual(referenceAt(returns, 1500), { x: 1500, mean: 150, low: 90, high: 210 });
  assert.deepEqual(referenceAt(returns, 1250), { x: 1250, mean: 125, low: 85, high: 165 });
  assert.deepEqual(referenceAt(returns, 2000), { x: 2000, mean: 200, low: 100, high: 300 });
  assert.equal(referenceAt(returns, 999), null);
  assert.equal(referenceAt(returns, 2001), null);
  const single = curve({ points: [{ x: 50_000, mean: 500 }] });
  assert.deepEqual(referenceAt(single, 50_000), { x: 50_000, mean: 500 });
  assert.equal(referenceAt(single, 49_999), null);
});

Deno.test("verdict - higher is better: within or above the band is on track, below it is behind", () => {
  const at = (step: number, value: number) => verdict([returns], { step, value }, undefined)?.onTrack;
  assert.equal(at(1500, 90), true); // the band's low end at 1500
  assert.equal(at(1500, 89.9), false);
  assert.equal(at(1500, 400), true); // above the band
  assert.equal(verdict([returns], { step: 2500, value: 400 }, undefined), null, "past the reference: no verdict");
  assert.equal(verdict([returns], { step: 1500, value: NaN }, undefined), null);
});

Deno.test("verdict - lower is better: within or below the band is on track; without a band, the mean decides", () => {
  const loss = curve({ metric: "eval/nelbo", better: "lower", band: "range", points: returns.points });
  assert.equal(verdict([loss], { step: 1500, value: 210 }, undefined)!.onTrack, true);
  assert.equal(verdict([loss], { step: 1500, value: 210.1 }, undefined)!.onTrack, false);
  assert.equal(verdict([loss], { step: 1500, value: 0 }, undefined)!.onTrack, true);
  const plain = curve({ better: "lower", points: [{ x: 0, mean: 10 }, { x: 10, mean: 0 }] });
  assert.equal(verdict([plain], { step: 5, value: 5 }, undefined)!.onTrack, true);
  assert.equal(verdict([plain], { step: 5, value: 5.01 }, undefined)!.onTrack, false);
});

Deno.test("verdict - the first curve that covers the run's x decides, in the file's order", () => {
  const zoo = curve({ id: "zoo", points: [{ x: 2000, mean: 500 }] });
  assert.equal(verdict([zoo, returns], { step: 1500, value: 150 }, undefined)!.curve.id, "c");
  const atEnd = verdict([zoo, returns], { step: 2000, value: 450 }, undefined)!;
  assert.deepEqual([atEnd.curve.id, atEnd.onTrack], ["zoo", false]);
  assert.equal(verdict([zoo], { step: 1000, value: 1 }, undefined), null);
});

Deno.test("epochs - placed on the run's steps through its epoch scalar; a capped last epoch does not skew them", () => {
  const nelbo = curve({
    metric: "eval/nelbo",
    better: "lower",
    x: "epoch",
    points: [{ x: 1, mean: 127 }, { x: 10, mean: 105.5 }],
  });
  assert.equal(curveSteps(nelbo, undefined), null, "no epoch ended yet");
  assert.equal(curveSteps(nelbo, { step: [], value: [] }), null);
  // 469 steps an epoch; a --max-steps run logged its 3rd epoch early, at step 1000.
  const epochs = { step: [469, 938, 1000], value: [1, 2, 3] };
  assert.equal(stepsPerEpoch(epochs), 469);
  assert.deepEqual(curveSteps(nelbo, epochs), [469, 4690]);
  assert.equal(stepInUnit("epoch", 938, epochs), 2);
  assert.equal(stepInUnit("env_steps", 938, epochs), 938);
  // At the end of epoch 2 the reference is interpolated there: 127 - (127 - 105.5) / 9.
  const v = verdict([nelbo], { step: 938, value: 125 }, epochs)!;
  assert.ok(Math.abs(v.at.mean - (127 - 21.5 / 9)) < 1e-9);
  assert.equal(v.onTrack, false);
  assert.equal(verdict([nelbo], { step: 938, value: 124 }, undefined), null);
});

Deno.test("configMismatch - a run with another value of a flag the curve was measured with is not judged by it", () => {
  const vae = curve({ config: { arch: "mlp", latent: 20, lr: 0.001 } });
  assert.equal(configMismatch(vae, { arch: "mlp", latent: 20, lr: 0.001, seed: 7, epochs: 30 }), null);
  assert.deepEqual(configMismatch(vae, { arch: "conv", latent: 20, lr: 0.001 }), {
    flag: "arch",
    curve: "mlp",
    run: "conv",
  });
  assert.deepEqual(configMismatch(vae, { arch: "mlp", latent: 2 }), { flag: "latent", curve: 20, run: 2 });
  // A flag the run does not record (a run from before the flag existed) counts as its default.
  assert.equal(configMismatch(vae, { arch: "mlp" }), null);
  assert.equal(configMismatch(curve({}), { arch: "conv" }), null);
});
