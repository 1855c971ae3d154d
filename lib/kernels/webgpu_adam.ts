/**
 * The fused Adam kernel (lib/adam.ts, FUSED_ADAM) for tfjs's WebGPU backend: three shaders per
 * variable (the new m, the new v, the new value; a tfjs WebGPU program writes one output), in place
 * of tfjs's 14 kernels per variable plus 2 for the bias corrections. The bias corrections read the
 * running beta powers from the GPU, so nothing is read back; the hyperparameters travel as uniforms,
 * so nothing is uploaded. The arithmetic is tfjs's Adam in its order (as adam.wat's), so the
 * weights match tfjs's own update up to the GPU's float rounding.
 */
import { tf } from "../tf.ts";
import { FUSED_ADAM, type FusedAdamAttrs } from "./wasm_adam.ts";

interface WebGpuBackend {
  runWebGPUProgram(
    program: object,
    inputs: tf.TensorInfo[],
    dtype: "float32",
    uniforms: { type: "float32"; data: number[] }[],
  ): tf.TensorInfo;
}

const WORKGROUP = 128;

/**
 * What each of the three shaders reads and writes: tfjs's Adam, element by element. A shader binds
 * only the inputs it reads (WebGPU's automatic layout drops unused bindings, and tfjs binds all
 * it is given).
 */
const OUTPUTS = {
  // m' = m * beta1 + g * (1 - beta1)
  m: { inputs: ["M", "G"], code: "M[index] * uniforms.beta1 + G[index] * uniforms.oneMinusBeta1" },
  // v' = v * beta2 + g^2 * (1 - beta2)
  v: { inputs: ["V", "G"], code: "V[index] * uniforms.beta2 + G[index] * G[index] * uniforms.oneMinusBeta2" },
  // w' = (m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + epsilon) * -lr + w
  value: {
    inputs: ["W", "M", "V", "G", "P1", "P2"],
    code: `(M[index] * uniforms.beta1 + G[index] * uniforms.oneMinusBeta1) / (1.0 - P1[0]) /
      (sqrt((V[index] * uniforms.beta2 + G[index] * G[index] * uniforms.oneMinusBeta2) / (1.0 - P2[0])) +
        uniforms.epsilon) * uniforms.negLearningRate + W[index]`,
  },
};

/** A tfjs WebGPU program (the shape of tfjs's UnaryOpProgram) that writes one of Adam's outputs. */
function adamProgram(shape: number[], output: keyof typeof OUTPUTS) {
  const size = tf.util.sizeFromShape(shape);
  return {
    variableNames: OUTPUTS[output].inputs,
    outputShape: shape,
    shaderKey: `tflab_adam_${output}`,
    size: true,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    uniforms: "beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, epsilon : f32, " +
      "negLearningRate : f32,",
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, ${OUTPUTS[output].code});
        }
      }`,
  };
}

const webGpuFusedAdam: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { value, m, v, gradient, beta1Power, beta2Power } = inputs as Record<string, tf.TensorInfo>;
  const { beta1, beta2, epsilon, learningRate } = attrs as unknown as FusedAdamAttrs;
  for (const t of [value, m, v, gradient]) {
    if (t.dtype !== "float32" || t.shape.join() !== value.shape.join()) {
      throw new Error(`${FUSED_ADAM}: expected float32 tensors of shape [${value.shape}], got ${t.dtype} [${t.shape}]`);
    }
  }
  const gpu = backend as unknown as WebGpuBackend;
  const uniforms = [beta1, 1 - beta1, beta2, 1 - beta2, epsilon, -learningRate]
    .map((x) => ({ type: "float32" as const, data: [x] }));
  const operands: Record<string, tf.TensorInfo> = { W: value, M: m, V: v, G: gradient, P1: beta1Power, P2: beta2Power };
  return (["value", "m", "v"] as const).map((output) => {
    const program = adamProgram(value.shape, output);
    return gpu.runWebGPUProgram(program, program.variableNames.map((name) => operands[name]), "float32", uniforms);
  });
};

/** Registers the fused Adam kernel on the WebGPU backend (once; later calls do nothing). */
export function installWebGpuAdam(): void {
  if (tf.getKernel(FUSED_ADAM, "webgpu")) return;
  tf.registerKernel({ kernelName: FUSED_ADAM, backendName: "webgpu", kernelFunc: webGpuFusedAdam });
}
