/** Graded tests of exercise ppo-clipped-objective: ppoLoss in lib/rl/ppo_loss.ts. */
import { type PpoCoefficients, ppoLoss } from "../../../lib/rl/ppo_loss.ts";
import { type Tensor, tf } from "../../../lib/tf.ts";
import { expectClose, expectTrue } from "./grading.ts";

await tf.setBackend("cpu");

interface Case {
  newLogProb: number[];
  oldLogProb?: number[];
  advantages: number[];
  newValues?: number[];
  oldValues?: number[];
  returns?: number[];
  entropy?: number[];
}
const plain: PpoCoefficients = {
  clipCoef: 0.2,
  entCoef: 0.01,
  vfCoef: 0.5,
  clipValueLoss: false,
  normAdvantages: false,
};

function losses(c: Case, coefficients: Partial<PpoCoefficients> = {}): Record<string, number> {
  const zeros = c.newLogProb.map(() => 0);
  return tf.tidy(() => {
    const out = ppoLoss({
      newLogProb: tf.tensor1d(c.newLogProb),
      oldLogProb: tf.tensor1d(c.oldLogProb ?? zeros),
      advantages: tf.tensor1d(c.advantages),
      newValues: tf.tensor1d(c.newValues ?? zeros),
      oldValues: tf.tensor1d(c.oldValues ?? zeros),
      returns: tf.tensor1d(c.returns ?? zeros),
      entropy: tf.tensor1d(c.entropy ?? zeros),
    }, { ...plain, ...coefficients });
    return Object.fromEntries(Object.entries(out).map(([key, value]) => [key, (value as Tensor).dataSync()[0]]));
  });
}

Deno.test("ppo-clipped-objective - ratio 1: the policy loss is -mean(A), with no KL and nothing clipped", () => {
  const out = losses({ newLogProb: [-0.3, -1, -2], oldLogProb: [-0.3, -1, -2], advantages: [2, -1, 0.5] });
  expectClose("policy loss for equal log-probabilities, A [2, -1, 0.5]", out.policyLoss, -0.5);
  expectClose("approx KL for equal log-probabilities", out.approxKl, 0);
  expectClose("clip fraction for equal log-probabilities", out.clipFraction, 0);
});

Deno.test("ppo-clipped-objective - a ratio that moved too far in the advantage's direction is clipped", () => {
  // ratios e^0.5 = 1.6487 (A = 2: clipped to 1.2) and e^-0.5 = 0.6065 (A = -1: clipped to 0.8)
  const out = losses({ newLogProb: [0.5, -0.5], advantages: [2, -1] });
  expectClose("policy loss for ratios [1.6487, 0.6065], A [2, -1], clip 0.2", out.policyLoss, (-2 * 1.2 + 0.8) / 2);
  expectClose("clip fraction (both ratios outside [0.8, 1.2])", out.clipFraction, 1);
  expectClose("approx KL, mean((ratio - 1) - log ratio)", out.approxKl, 0.1276259);
});

Deno.test("ppo-clipped-objective - the objective is pessimistic: a ratio that moved against the advantage is not clipped", () => {
  // ratio 0.6065 with A = 2 and ratio 1.6487 with A = -1: the unclipped terms are the worse ones
  const out = losses({ newLogProb: [-0.5, 0.5], advantages: [2, -1] });
  expectClose(
    "policy loss for ratios [0.6065, 1.6487], A [2, -1]",
    out.policyLoss,
    (-2 * Math.exp(-0.5) + Math.exp(0.5)) / 2,
  );
});

Deno.test("ppo-clipped-objective - the gradient is 0 where the ratio is clipped, -A ratio / B elsewhere", () => {
  const gradient = (newLogProb: number[], advantages: number[]) =>
    tf.tidy(() => {
      const f = (logp: Tensor) =>
        ppoLoss({
          newLogProb: logp,
          oldLogProb: tf.zeros([2]),
          advantages: tf.tensor1d(advantages),
          newValues: tf.zeros([2]),
          oldValues: tf.zeros([2]),
          returns: tf.zeros([2]),
          entropy: tf.zeros([2]),
        }, plain).policyLoss as tf.Scalar;
      return Array.from(tf.grad(f)(tf.tensor1d(newLogProb)).dataSync());
    });
  expectClose("d policy loss / d log-probability for clipped ratios [1.6487, 0.6065]", gradient([0.5, -0.5], [2, -1]), [
    0,
    0,
  ]);
  expectClose(
    "d policy loss / d log-probability for unclipped ratios [0.6065, 1.6487], A [2, -1]",
    gradient([-0.5, 0.5], [2, -1]),
    [-Math.exp(-0.5), Math.exp(0.5) / 2],
  );
});

Deno.test("ppo-clipped-objective - normAdvantages normalises the advantages to mean 0, standard deviation 1", () => {
  const c = { newLogProb: [0.1, 0, -0.1], advantages: [1, 2, 3] }; // ratios within the clip range
  expectClose(
    "policy loss for A [1, 2, 3], ratios e^[0.1, 0, -0.1], normalised",
    losses(c, { normAdvantages: true }).policyLoss,
    0.0817858,
  );
  expectClose("policy loss for A [1, 2, 3], ratios e^[0.1, 0, -0.1], not normalised", losses(c).policyLoss, -1.9398944);
});

Deno.test("ppo-clipped-objective - value loss: 0.5 mean((V - R)^2), or the larger of the raw and clipped errors", () => {
  expectClose(
    "value loss for V [1, 2], R [0, 0]",
    losses({ newLogProb: [0, 0], advantages: [0, 0], newValues: [1, 2] }).valueLoss,
    1.25,
  );
  // V 0.9 from V_old 0, R 1: raw error 0.01; V clipped to 0.2 gives 0.64, the larger
  const moved = { newLogProb: [0], advantages: [0], newValues: [0.9], oldValues: [0], returns: [1] };
  expectClose(
    "clipped value loss for V 0.9, V_old 0, R 1, clip 0.2",
    losses(moved, { clipValueLoss: true }).valueLoss,
    0.32,
  );
  const far = { newLogProb: [0], advantages: [0], newValues: [2], oldValues: [0], returns: [0] };
  expectClose("clipped value loss for V 2, V_old 0, R 0, clip 0.2", losses(far, { clipValueLoss: true }).valueLoss, 2);
});

Deno.test("ppo-clipped-objective - loss = policy loss - entCoef entropy + vfCoef value loss", () => {
  const out = losses({ newLogProb: [0.5, -0.5], advantages: [2, -1], newValues: [1, 2], entropy: [0.7, 0.5] });
  expectClose("mean entropy of [0.7, 0.5]", out.entropy, 0.6);
  expectClose("loss for policy loss -0.8, entropy 0.6, value loss 1.25, entCoef 0.01, vfCoef 0.5", out.loss, -0.181);
});

Deno.test("ppo-clipped-objective - leaks no tensors", () => {
  const inputs = [0, 1, 2, 3, 4, 5, 6].map(() => tf.tensor1d([0.1, -0.2]));
  const [newLogProb, oldLogProb, advantages, newValues, oldValues, returns, entropy] = inputs;
  const before = tf.memory().numTensors;
  const out = ppoLoss({ newLogProb, oldLogProb, advantages, newValues, oldValues, returns, entropy }, plain);
  tf.dispose(Object.values(out));
  expectTrue(
    tf.memory().numTensors === before,
    `one call left ${tf.memory().numTensors - before} tensors behind: wrap it in tf.tidy`,
  );
  tf.dispose(inputs);
});
