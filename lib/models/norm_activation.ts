/**
 * act(gamma (x - mean) / sqrt(var + eps) + beta) for x [B, ..., C], gamma and beta [C]: the
 * U-Net's GroupNorm with one group + SiLU (statistics over each image) and DCGAN's batch norm +
 * ReLU or LeakyReLU (statistics per channel over the batch). Where the backend has the fused
 * kernels (wasm and blas: lib/kernels/wasm_norm_activation.ts, for a multiple of 4 channels;
 * webgpu: lib/kernels/webgpu_norm_activation.ts, any channel count) it is one kernel forward and one
 * backward; elsewhere (cpu, other channel counts on wasm) the same maths composed of tfjs ops,
 * which is also the reference the kernels are tested against.
 */
import { tf } from "../tf.ts";
import type { Tensor } from "../tf.ts";
import {
  fitsNormActivationKernel,
  NORM_ACTIVATION,
  NORM_ACTIVATION_GRAD,
  NORM_ACTIVATIONS,
  NORM_OVER,
  type NormActivationAttrs,
} from "../kernels/wasm_norm_activation.ts";

export type NormActivationOptions = Partial<NormActivationAttrs> & Pick<NormActivationAttrs, "over">;

function checked({ over, activation = "linear", alpha = 0.2, epsilon = 1e-5 }: NormActivationOptions) {
  if (!NORM_OVER.includes(over)) throw new Error(`normActivation: over must be one of ${NORM_OVER}, got ${over}`);
  if (!NORM_ACTIVATIONS.includes(activation)) {
    throw new Error(`normActivation: activation must be one of ${NORM_ACTIVATIONS}, got ${activation}`);
  }
  return { over, activation, alpha, epsilon };
}

/** The composition of tfjs ops (cpu, odd channel counts on wasm; the kernels' reference). */
export function composedNormActivation(x: Tensor, gamma: Tensor, beta: Tensor, options: NormActivationOptions) {
  const { over, activation, alpha, epsilon } = checked(options);
  return tf.tidy(() => {
    // over images: one mean per image of [B, N]; over the batch: one per channel of [..., C]
    const flat = over === "image" ? tf.reshape(x, [x.shape[0], -1]) : x;
    const axes = over === "image" ? [1] : x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(flat, axes, over === "image");
    const normalised = tf.reshape(tf.mul(tf.sub(flat, mean), tf.rsqrt(tf.add(variance, epsilon))), x.shape);
    const z = tf.add(tf.mul(normalised, gamma), beta);
    if (activation === "silu") return tf.mul(z, tf.sigmoid(z));
    if (activation === "relu") return tf.relu(z);
    return activation === "leakyrelu" ? tf.leakyRelu(z, alpha) : z;
  });
}

/** Whether the active backend has the fused kernels for C channels (wasm's take a multiple of 4). */
function hasKernels(channels: number): boolean {
  const backend = tf.getBackend();
  return !!tf.getKernel(NORM_ACTIVATION, backend) && (backend === "webgpu" || fitsNormActivationKernel(channels));
}

function normActivation_(x: Tensor, gamma: Tensor, beta: Tensor, options: NormActivationOptions): Tensor {
  if (!hasKernels(x.shape.at(-1)!)) return composedNormActivation(x, gamma, beta, options);
  const attrs = checked(options);
  if (x.dtype !== "float32" || x.rank < 2 || gamma.shape.join() !== `${x.shape.at(-1)}`) {
    throw new Error(
      `normActivation: expected float32 x [B, ..., C] and gamma [C], got x ${x.dtype} [${x.shape}], gamma [${gamma.shape}]`,
    );
  }
  const fused = tf.customGrad((...args) => {
    const [x, gamma, beta, save] = args as [Tensor, Tensor, Tensor, tf.GradSaveFunc];
    const inputs = { x, gamma, beta } as unknown as tf.NamedTensorMap;
    const [y, mean, rstd] = tf.engine().runKernel(NORM_ACTIVATION, inputs, { ...attrs }) as Tensor[];
    save([x, gamma, beta, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [x, gamma, beta, mean, rstd] = saved;
        const gradInputs = { dy, x, gamma, beta, mean, rstd } as unknown as tf.NamedTensorMap;
        return tf.engine().runKernel(NORM_ACTIVATION_GRAD, gradInputs, { ...attrs }) as Tensor[];
      },
    };
  });
  return fused(x, gamma, beta) as Tensor;
}

/**
 * act(gamma xhat + beta), fused where the backend has the kernels. A tfjs op, so that profiles
 * (bench/kernel_profile.ts) tell its custom-gradient wrapper ("normActivation__op") from kernels.
 */
export const normActivation = tf.op({ normActivation_ });
