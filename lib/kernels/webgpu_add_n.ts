/**
 * AddN for tfjs's WebGPU backend that works with any number of inputs. tfjs 4.22's kernel binds
 * every input and the output as storage buffers of one shader; past the device's
 * maxStorageBuffersPerShaderStage (8 on Mesa's llvmpipe, and the WebGPU default) the pipeline is
 * invalid and the sum comes back as 0 or garbage, silently. Its Concat splits its inputs for the
 * same limit; AddN does not. clipGradNorm (lib/rl/clip_grad_norm.ts) sums one term per variable,
 * 12 or 13 in the PPO labs, and so turned their gradient norms into NaN on WebGPU.
 */
import { tf } from "../tf.ts";

interface WebGpuBackend {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: unknown): void;
}

let original: tf.KernelConfig | undefined;

/** Sums `inputs` in chunks that fit in one shader, then sums the partial sums the same way. */
const addN: tf.KernelConfig["kernelFunc"] = (args) => {
  const inputs = args.inputs as unknown as tf.TensorInfo[];
  const backend = args.backend as unknown as WebGpuBackend;
  const perShader = backend.device.limits.maxStorageBuffersPerShaderStage - 1; // one binding is the output
  const sum = (infos: tf.TensorInfo[]) => original!.kernelFunc({ ...args, inputs: infos as never }) as tf.TensorInfo;
  if (inputs.length <= perShader) return sum(inputs);
  const partials: tf.TensorInfo[] = [];
  for (let i = 0; i < inputs.length; i += perShader) partials.push(sum(inputs.slice(i, i + perShader)));
  const result = addN({ ...args, inputs: partials as never }) as tf.TensorInfo;
  for (const partial of partials) backend.disposeData(partial.dataId);
  return result;
};

/** Replaces the WebGPU backend's AddN with the chunked one above (once; later calls do nothing). */
export function installWebGpuAddN(): void {
  if (original) return;
  original = { ...tf.getKernel("AddN", "webgpu")! };
  tf.unregisterKernel("AddN", "webgpu");
  tf.registerKernel({ ...original, kernelFunc: addN });
}
