import { categoricalEntropy, categoricalLogProb, gaussianEntropy, gaussianLogProb } from "../../../lib/rl/policy.ts";
import { ppoLoss } from "../../../lib/rl/ppo_loss.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

await tf.setBackend("cpu");
const read = (t: tf.Tensor) => Array.from(t.dataSync());

Deno.test("ppo - the clipped objective matches hand-computed cases", () => {
  // ratios e^0.5 = 1.6487 (clipped to 1.2 when A > 0) and e^-0.5 = 0.6065 (clipped to 0.8 when A < 0)
  const [r1, r2] = [Math.exp(0.5), Math.exp(-0.5)];
  const advantages = [2, -1];
  const expectedPolicy = (Math.max(-2 * r1, -2 * 1.2) + Math.max(1 * r2, 1 * 0.8)) / 2; // (-2.4 + 0.8) / 2
  const out = tf.tidy(() => {
    const o = ppoLoss({
      newLogProb: tf.tensor1d([0.5, -0.5]),
      oldLogProb: tf.tensor1d([0, 0]),
      advantages: tf.tensor1d(advantages),
      newValues: tf.tensor1d([1, 2]),
      oldValues: tf.tensor1d([1.5, 0]),
      returns: tf.tensor1d([0, 0]),
      entropy: tf.tensor1d([0.7, 0.5]),
    }, { clipCoef: 0.2, entCoef: 0.01, vfCoef: 0.5, clipValueLoss: false, normAdvantages: false });
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, read(v)[0]]));
  }) as Record<string, number>;
  assertClose(out.policyLoss, expectedPolicy, { rtol: 1e-5 });
  assertClose(out.valueLoss, 0.5 * (1 + 4) / 2, { rtol: 1e-6 });
  assertClose(out.entropy, 0.6, { rtol: 1e-6 });
  assertClose(out.loss, expectedPolicy - 0.01 * 0.6 + 0.5 * 1.25, { rtol: 1e-5 });
  assertClose(out.approxKl, ((r1 - 1 - 0.5) + (r2 - 1 + 0.5)) / 2, { rtol: 1e-5 });
  assertClose(out.clipFraction, 1);
});

Deno.test("ppo - clipped value loss takes the worse of the raw and clipped errors", () => {
  // new 2, old 0, return 0, clip 0.2: raw error 4, clipped value 0.2 -> error 0.04; max = 4
  const value = tf.tidy(() =>
    read(
      ppoLoss({
        newLogProb: tf.zeros([1]),
        oldLogProb: tf.zeros([1]),
        advantages: tf.ones([1]),
        newValues: tf.tensor1d([2]),
        oldValues: tf.tensor1d([0]),
        returns: tf.tensor1d([0]),
        entropy: tf.zeros([1]),
      }, { clipCoef: 0.2, entCoef: 0, vfCoef: 1, clipValueLoss: true, normAdvantages: false }).valueLoss,
    )[0]
  );
  assertClose(value, 0.5 * 4);
});

Deno.test("policy - categorical and Gaussian log-probabilities and entropies match closed forms", () => {
  const logits = [[1, 2, 0.5], [0, 0, 0]];
  const p = logits.map((row) => {
    const z = row.reduce((s, l) => s + Math.exp(l), 0);
    return row.map((l) => Math.exp(l) / z);
  });
  tf.tidy(() => {
    const l = tf.tensor2d(logits);
    assertClose(read(categoricalLogProb(l, tf.tensor1d([1, 2], "int32"))), [Math.log(p[0][1]), Math.log(1 / 3)], {
      rtol: 1e-5,
    });
    assertClose(read(categoricalEntropy(l)), p.map((row) => -row.reduce((s, q) => s + q * Math.log(q), 0)), {
      rtol: 1e-5,
    });
    const normal = (x: number, m: number, s: number) =>
      Math.log(Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI)));
    const logStd = tf.tensor1d([Math.log(0.5), Math.log(2)]);
    const lp = read(gaussianLogProb(tf.tensor2d([[0.3, -1]]), tf.tensor2d([[0, 1]]), logStd));
    assertClose(lp, [normal(0.3, 0, 0.5) + normal(-1, 1, 2)], { rtol: 1e-5 });
    const entropy = (s: number) => 0.5 * Math.log(2 * Math.PI * Math.E * s * s);
    assertClose(read(gaussianEntropy(logStd)), [entropy(0.5) + entropy(2)], { rtol: 1e-5 });
  });
});
