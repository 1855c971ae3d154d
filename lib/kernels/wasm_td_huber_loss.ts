/**
 * DQN's loss as two kernels for tfjs's wasm backend: the mean Huber loss (delta 1) between the
 * Q-value of each taken action and its TD target, and its gradient with respect to the Q-values.
 * tfjs composes the same loss from a one-hot mask, 13 kernels forward and about 30 backward (with
 * the gradient tape's clones), each a few dozen floats: the bookkeeping dwarfs the arithmetic.
 *
 * Each kernel does, in float32 and in the same order, the arithmetic of the kernels it replaces
 * (tf.losses.huberLoss over tf.sum(tf.mul(q, tf.oneHot(actions)), 1), and tfjs's gradients of
 * each), so results stay bit for bit those of the composition; tests/lib/kernels/wasm_td_huber_loss_test.ts
 * checks it. lib/rl/td_huber_loss.ts calls them, and the composition where they are absent.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";

export const TD_HUBER_LOSS = "TflabTdHuberLoss";
export const TD_HUBER_LOSS_GRAD = "TflabTdHuberLossGrad";

type TensorInfo = tf.TensorInfo;
type Inputs = { q: TensorInfo; actions: TensorInfo; targets: TensorInfo };
const f32 = Math.fround;

/** The inputs' views, after their shapes are checked: q [B, A] float32, actions [B] int32, targets [B] float32. */
function views(name: string, { q, actions, targets }: Inputs, backend: WasmKernelBackend) {
  const [rows, width] = q.shape;
  if (
    q.shape.length !== 2 || q.dtype !== "float32" || actions.dtype !== "int32" || targets.dtype !== "float32" ||
    actions.shape.join() !== `${rows}` || targets.shape.join() !== `${rows}`
  ) {
    throw new Error(
      `${name}: expected q float32 [B, A], actions int32 [B] and targets float32 [B], got q ${q.dtype} ` +
        `[${q.shape}], actions ${actions.dtype} [${actions.shape}], targets ${targets.dtype} [${targets.shape}]`,
    );
  }
  const actionValues = backend.typedArrayFromHeap(actions) as unknown as Int32Array;
  return { rows, width, actionValues };
}

/** taken - target for row i: q[i, a_i], as the one-hot product's row sum makes it (0 + q*1 + q*0 ...). */
function error(q: Float32Array, row: number, width: number, action: number, target: number): number {
  let taken = 0;
  for (let a = 0; a < width; a++) taken = f32(taken + f32(q[row * width + a] * (a === action ? 1 : 0)));
  return f32(taken - target);
}

/** loss [] = mean_i huber(q[i, a_i] - y_i). */
export const tdHuberLoss: tf.KernelConfig["kernelFunc"] = ({ inputs, backend }) => {
  const wasm = backend as unknown as WasmKernelBackend;
  const { rows, width, actionValues } = views(TD_HUBER_LOSS, inputs as Inputs, wasm);
  const out = wasm.makeOutput([], "float32");
  const { q, targets } = inputs as Inputs;
  const [qv, yv, loss] = [q, targets, out].map((t) => wasm.typedArrayFromHeap(t)); // views after the allocation
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const err = Math.abs(error(qv, i, width, actionValues[i], yv[i]));
    const quadratic = Math.min(err, 1);
    const linear = f32(err - quadratic);
    sum = f32(sum + f32(f32(0.5 * f32(quadratic * quadratic)) + linear));
  }
  loss[0] = sum / rows;
  return out;
};

/** dq [B, A]: tfjs's gradient of the composition, step by step (Mean, Add, Mul, Square, Sub, Minimum, Abs, Sum, Mul). */
export const tdHuberLossGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend }) => {
  const wasm = backend as unknown as WasmKernelBackend;
  const { rows, width, actionValues } = views(TD_HUBER_LOSS_GRAD, inputs as Inputs, wasm);
  const { q, targets, dy } = inputs as Inputs & { dy: TensorInfo };
  const out = wasm.makeOutput(q.shape, "float32");
  const [qv, yv, dyv, dq] = [q, targets, dy, out].map((t) => wasm.typedArrayFromHeap(t));
  const g = f32(dyv[0] / rows); // Mean's gradient, for each row's loss
  const dQuadratic1 = f32(g * 0.5); // through 0.5 * quadratic^2, before Square's gradient
  for (let i = 0; i < rows; i++) {
    const e = error(qv, i, width, actionValues[i], yv[i]);
    const err = Math.abs(e);
    const quadratic = Math.min(err, 1);
    const dQuadratic = f32(f32(dQuadratic1 * f32(quadratic * 2)) - g); // Square's, then Sub's (linear = err - quadratic)
    const dErr = f32(g + f32(dQuadratic * (err <= 1 ? 1 : 0))); // Sub's, then Minimum's
    const dTaken = f32(dErr * (e > 0 ? 1 : e <= 0 ? -1 : NaN)); // Abs's: step(e, -1)
    for (let a = 0; a < width; a++) dq[i * width + a] = dTaken * (a === actionValues[i] ? 1 : 0);
  }
  return out;
};

// The loss's gradient, on every backend that has the kernels (lib/rl/td_huber_loss.ts uses them only there).
tf.registerGradient({
  kernelName: TD_HUBER_LOSS,
  inputsToSave: ["q", "actions", "targets"],
  gradFunc: (dy, saved) => {
    const [q, actions, targets] = saved;
    return {
      q: () => tf.engine().runKernel(TD_HUBER_LOSS_GRAD, { dy: dy as tf.Tensor, q, actions, targets }) as tf.Tensor,
    };
  },
});
