/**
 * The summed Bernoulli log-likelihood of logits (the VAE's and the autoencoder's reconstruction
 * term, PyTorch's binary_cross_entropy_with_logits with reduction "sum") as two kernels for blas:
 * the loss in one SIMD pass, its gradient dy (sigmoid(l) - x) in another (bce_with_logits.wat).
 * tfjs composes the loss from 9 kernels and its gradient from 14, each a pass over [B, 784]: on a
 * VAE step about 2.5 of 17 ms. Their exp and log1p are unary.wat's (within 2 ulp) and the sum is
 * float64, so they round otherwise than the composition: blas's only, as those are
 * (wasm_kernels.ts). lib/losses.ts calls them where they are registered.
 */
import { tf } from "../tf.ts";
import { BCE_WITH_LOGITS_WASM } from "./wasm_bce_with_logits_module.ts";
import { exportsIn, heapAddress, heapMemory, type WasmKernelBackend } from "./wasm_heap.ts";

export const BCE_WITH_LOGITS_SUM = "TflabBceWithLogitsSum";
export const BCE_WITH_LOGITS_GRAD = "TflabBceWithLogitsGrad";

type TensorInfo = tf.TensorInfo;
type Inputs = { logits: TensorInfo; targets: TensorInfo };

/** The element count, after the inputs are checked: float32 logits and targets of one shape. */
function checkedCount(name: string, { logits, targets }: Inputs): number {
  if (logits.dtype !== "float32" || targets.dtype !== "float32" || logits.shape.join() !== targets.shape.join()) {
    throw new Error(
      `${name}: expected float32 logits and targets of one shape, got logits ${logits.dtype} [${logits.shape}] ` +
        `and targets ${targets.dtype} [${targets.shape}]`,
    );
  }
  return tf.util.sizeFromShape(logits.shape);
}

const module = (backend: WasmKernelBackend) => exportsIn(heapMemory(backend), BCE_WITH_LOGITS_WASM);

/** loss [] = sum_i max(l_i, 0) - l_i x_i + log1p(exp(-|l_i|)). */
export const bceWithLogitsSum: tf.KernelConfig["kernelFunc"] = ({ inputs, backend }) => {
  const wasm = backend as unknown as WasmKernelBackend;
  const { logits, targets } = inputs as Inputs;
  const count = checkedCount(BCE_WITH_LOGITS_SUM, { logits, targets });
  const out = wasm.makeOutput([], "float32");
  const sum = module(wasm).sum as (...args: number[]) => void;
  sum(heapAddress(wasm, logits), heapAddress(wasm, targets), count, heapAddress(wasm, out));
  return out;
};

/** d loss / d logits = dy (sigmoid(l) - x), the shape of the logits. */
export const bceWithLogitsGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend }) => {
  const wasm = backend as unknown as WasmKernelBackend;
  const { logits, targets, dy } = inputs as Inputs & { dy: TensorInfo };
  const count = checkedCount(BCE_WITH_LOGITS_GRAD, { logits, targets });
  const out = wasm.makeOutput(logits.shape, "float32");
  const grad = module(wasm).grad as (...args: number[]) => void;
  grad(heapAddress(wasm, logits), heapAddress(wasm, targets), heapAddress(wasm, dy), count, heapAddress(wasm, out));
  return out;
};

// The gradient, on every backend that has the kernels (lib/losses.ts uses them only there). The
// targets' gradient, -dy l, is composed: data as targets (the usual case) never asks for it.
tf.registerGradient({
  kernelName: BCE_WITH_LOGITS_SUM,
  inputsToSave: ["logits", "targets"],
  gradFunc: (dy, saved) => {
    const [logits, targets] = saved;
    return {
      logits: () => tf.engine().runKernel(BCE_WITH_LOGITS_GRAD, { dy: dy as tf.Tensor, logits, targets }) as tf.Tensor,
      targets: () => tf.mul(tf.neg(logits), dy as tf.Tensor),
    };
  },
});
