/**
 * Adam, as tf.train.adam, with one fused kernel per variable where the backend has one (wasm and
 * blas: lib/kernels/wasm_adam.ts); elsewhere tfjs's own update. The fused update is tfjs's
 * arithmetic in the same float32 order, so the two give the same weights bit for bit, and
 * checkpoints (lib/train_state.ts) hold the same state either way.
 */
import { tf } from "./tf.ts";
import { FUSED_ADAM, type FusedAdamAttrs } from "./kernels/wasm_adam.ts";

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

// tfjs keeps Adam's state in private fields; the fused update keeps it in the same ones, so that
// getWeights, setWeights and dispose work unchanged.
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  incrementIterations(): void;
}

type VariableGradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  // On WebGPU, beta1 and beta2 as tensors made once: `tf.mul(accBeta1, beta1)` makes and uploads a
  // new scalar every step. Elsewhere the numbers, as tfjs's Adam does: no upload to save, and two
  // tensors more would break tfjs's own Adam specs, which count the optimizer's tensors.
  private betas?: [tf.Scalar, tf.Scalar];

  /** Sets the learning rate of the steps that follow (a schedule); tfjs keeps it in a protected field. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  override applyGradients(variableGradients: VariableGradients): void {
    if (!tf.getKernel(FUSED_ADAM, tf.getBackend())) return super.applyGradients(variableGradients);
    const state = this as unknown as AdamInternals;
    const gradients = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const attrs: FusedAdamAttrs = {
      beta1: state.beta1,
      beta2: state.beta2,
      epsilon: state.epsilon,
      learningRate: state.learningRate,
    };
    const [beta1, beta2] = tf.getBackend() === "webgpu"
      ? this.betas ??= [tf.keep(tf.scalar(state.beta1)), tf.keep(tf.scalar(state.beta2))]
      : [state.beta1, state.beta2];
    tf.tidy(() => {
      gradients.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name];
        const zeros = () => tf.tidy(() => tf.zerosLike(value).variable(false));
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zeros() };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zeros() };
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const inputs = { value, m, v, gradient, beta1Power: state.accBeta1, beta2Power: state.accBeta2 };
        const [newValue, newM, newV] = tf.engine().runKernel(
          FUSED_ADAM,
          inputs as unknown as tf.NamedTensorMap,
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, beta2));
    });
    state.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    if (this.betas) tf.dispose(this.betas);
  }
}

export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** torch.optim.Adam's defaults, which the labs that follow a PyTorch reference (and SB3, CleanRL) use. */
export const PYTORCH_ADAM: AdamSettings = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
/** Keras's defaults (epsilon 1e-7, which is also what tf.train.adam takes on the float32 backends). */
export const KERAS_ADAM: AdamSettings = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/**
 * tf.train.adam with every setting explicit, so a lab's optimiser does not depend on the backend's
 * epsilon: `adam(lr, PYTORCH_ADAM)`, `adam(lr, { ...PYTORCH_ADAM, beta1: 0.5 })`.
 */
export function adam(learningRate: number, { beta1, beta2, epsilon }: AdamSettings): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
