/**
 * The fused normalisation + activation kernels (lib/kernels/wasm_norm_activation.ts's NORM_ACTIVATION
 * and NORM_ACTIVATION_GRAD, same inputs, outputs and maths) for tfjs's WebGPU backend: 3 shaders
 * forward and 4 backward, in place of the dozens of tfjs's composition (lib/models/norm_activation.ts).
 *
 * A tfjs WebGPU program writes one output, so forward is the mean, then the rstd (two passes, as
 * tf.moments), then y; each statistic is one workgroup's sum (a loop per thread, then a tree in
 * workgroup memory). Backward, with dz the gradient before the activation and xhat = (x - mean) rstd:
 * the sums of the statistic's sample that dx needs, [S, 2] packed in one shader (one output, read
 * whole by the next: no split); dx element by element from them; dgamma = sum(dz xhat) and
 * dbeta = sum(dz) per channel. Over the batch the statistic is the channel, so those two are
 * columns of the packed sums; over images they are sums of their own over every image.
 * A shader binds at most 7 inputs and its output: 8 storage buffers, llvmpipe's and WebGPU's
 * default limit. Constants travel as uniforms, so nothing is uploaded and nothing read back.
 */
import { tf } from "../tf.ts";
import { NORM_ACTIVATION, NORM_ACTIVATION_GRAD, type NormActivationAttrs } from "./wasm_norm_activation.ts";

type TensorInfo = tf.TensorInfo;

interface WebGpuBackend {
  runWebGPUProgram(
    program: object,
    inputs: TensorInfo[],
    dtype: "float32",
    uniforms: { type: "float32" | "int32"; data: number[] }[],
  ): TensorInfo;
  disposeData(dataId: unknown): void;
}

const WORKGROUP = 128;
const UNIFORMS = "channels : i32, count : i32, total : i32, epsilon : f32, slope : f32,";

/**
 * WGSL shared by the shaders: a statistic's index for an element, xhat, the activation and dz.
 * `count` is the size of one statistic's sample, `total` x's size. A function is emitted only
 * where the inputs it reads are bound.
 */
function helpers(attrs: NormActivationAttrs, inputs: string[]) {
  const image = attrs.over === "image";
  const silu = attrs.activation === "silu";
  const has = (...names: string[]) => names.every((name) => inputs.includes(name));
  return [
    `fn statisticOf(i : i32) -> i32 { return ${image ? "i / uniforms.count" : "i % uniforms.channels"}; }`,
    has("X", "Mean", "Rstd") &&
    "fn xhatAt(i : i32) -> f32 { let s = statisticOf(i); return (X[i] - Mean[s]) * Rstd[s]; }",
    has("Gamma", "Beta") && `fn act(z : f32) -> f32 {
      return ${silu ? "z * (1.0 / (1.0 + exp(-z)))" : "select(uniforms.slope * z, z, z > 0.0)"};
    }`,
    has("DY", "X", "Mean", "Rstd", "Gamma", "Beta") && `fn dzAt(i : i32, xhat : f32) -> f32 {
      let c = i % uniforms.channels;
      let z = xhat * Gamma[c] + Beta[c];
      ${
      silu
        ? "let s = 1.0 / (1.0 + exp(-z)); return DY[i] * s * (1.0 + z * (1.0 - s));"
        : "return select(uniforms.slope * DY[i], DY[i], z > 0.0);"
    }
    }`,
    // the sum over the workgroup; the first barrier lets a second sum reuse `partial`
    `var<workgroup> partial : array<f32, ${WORKGROUP}>;
    fn workgroupSum(value : f32) -> f32 {
      workgroupBarrier();
      partial[localIndex] = value;
      workgroupBarrier();
      for (var stride = ${WORKGROUP / 2}u; stride > 0u; stride = stride >> 1u) {
        if (localIndex < stride) { partial[localIndex] = partial[localIndex] + partial[localIndex + stride]; }
        workgroupBarrier();
      }
      return partial[0];
    }`,
  ].filter(Boolean).join("\n");
}

/**
 * Loops this thread over its share of a sample, `i` the element's index: one image's contiguous
 * values, or one channel's values, C apart. The statistic (image or channel) is the workgroup's.
 */
function sampleLoop(over: "image" | "channel", body: string) {
  const [length, index] = over === "image"
    ? ["uniforms.count", "s * uniforms.count + k"]
    : ["uniforms.total / uniforms.channels", "k * uniforms.channels + s"];
  return `for (var k = i32(localIndex); k < ${length}; k = k + ${WORKGROUP}) { let i = ${index}; ${body} }`;
}

interface Shader {
  inputs: string[];
  outputShape: number[];
  /** one workgroup per statistic (its code sums with workgroupSum), or one thread per element */
  perWorkgroup: boolean;
  main: string;
}

function program(name: string, attrs: NormActivationAttrs, { inputs, outputShape, perWorkgroup, main }: Shader) {
  const size = tf.util.sizeFromShape(outputShape);
  return {
    variableNames: inputs,
    outputShape,
    shaderKey: `tflab_norm_activation_${name}_${attrs.over}_${attrs.activation === "silu" ? "silu" : "slope"}`,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [perWorkgroup ? outputShape[0] : Math.ceil(size / WORKGROUP), 1, 1],
    uniforms: UNIFORMS,
    getUserCode: () => `
      ${helpers(attrs, inputs)}
      fn main(index : i32) {
        ${perWorkgroup ? "let s = i32(workgroupId.x);" : ""}
        ${main}
      }`,
  };
}

/** Runs a shader over `operands` (by name, read at each run) with the attributes as uniforms. */
function runner(backend: unknown, x: TensorInfo, attrs: NormActivationAttrs, operands: Record<string, TensorInfo>) {
  const gpu = backend as WebGpuBackend;
  const channels = x.shape.at(-1)!;
  const total = tf.util.sizeFromShape(x.shape);
  const count = attrs.over === "image" ? total / x.shape[0] : total / channels;
  const slope = attrs.activation === "relu" ? 0 : attrs.activation === "leakyrelu" ? attrs.alpha : 1;
  const uniforms = [
    { type: "int32" as const, data: [channels] },
    { type: "int32" as const, data: [count] },
    { type: "int32" as const, data: [total] },
    { type: "float32" as const, data: [attrs.epsilon] },
    { type: "float32" as const, data: [slope] },
  ];
  return (name: string, shader: Shader) =>
    gpu.runWebGPUProgram(
      program(name, attrs, shader),
      shader.inputs.map((input) => operands[input]),
      "float32",
      uniforms,
    );
}

/** inputs x [B, ..., C], gamma [C], beta [C] -> y like x, mean and rstd ([B] over images, [C] over the batch). */
const webGpuNormActivation: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
  const options = attrs as unknown as NormActivationAttrs;
  const statistics = [options.over === "image" ? x.shape[0] : x.shape.at(-1)!];
  const over = options.over === "image" ? "image" : "channel";
  const operands: Record<string, TensorInfo> = { X: x, Gamma: gamma, Beta: beta };
  const run = runner(backend, x, options, operands);
  const mean = operands.Mean = run("mean", {
    inputs: ["X"],
    outputShape: statistics,
    perWorkgroup: true,
    main: `var sum = 0.0;
      ${sampleLoop(over, "sum = sum + X[i];")}
      let total = workgroupSum(sum);
      if (localIndex == 0u) { setOutputAtIndex(s, total / f32(uniforms.count)); }`,
  });
  const rstd = operands.Rstd = run("rstd", {
    inputs: ["X", "Mean"],
    outputShape: statistics,
    perWorkgroup: true,
    main: `var sum = 0.0;
      ${sampleLoop(over, "let d = X[i] - Mean[s]; sum = sum + d * d;")}
      let total = workgroupSum(sum);
      if (localIndex == 0u) { setOutputAtIndex(s, 1.0 / sqrt(total / f32(uniforms.count) + uniforms.epsilon)); }`,
  });
  const y = run("y", {
    inputs: ["X", "Mean", "Rstd", "Gamma", "Beta"],
    outputShape: x.shape,
    perWorkgroup: false,
    main: `if (index < uniforms.total) {
        setOutputAtIndex(index, act(xhatAt(index) * Gamma[index % uniforms.channels] + Beta[index % uniforms.channels]));
      }`,
  });
  return [y, mean, rstd];
};

/**
 * inputs dy, x, gamma, beta, mean, rstd (the forward kernel's) -> dx, dgamma, dbeta, as
 * wasm_norm_activation.ts: over each statistic's sample of n,
 * dx = rstd (gamma dz - sum(gamma dz) / n - xhat sum(gamma dz xhat) / n).
 */
const webGpuNormActivationGrad: tf.KernelConfig["kernelFunc"] = ({ inputs, backend, attrs }) => {
  const { dy, x, gamma, beta, mean, rstd } = inputs as Record<string, TensorInfo>;
  const options = attrs as unknown as NormActivationAttrs;
  const image = options.over === "image";
  const channels = x.shape.at(-1)!;
  const operands: Record<string, TensorInfo> = { DY: dy, X: x, Gamma: gamma, Beta: beta, Mean: mean, Rstd: rstd };
  const dzInputs = ["DY", "X", "Mean", "Rstd", "Gamma", "Beta"];
  // per statistic: sum(gamma dz), sum(gamma dz xhat) over images; sum(dz), sum(dz xhat) per channel
  const weight = image ? " * Gamma[i % uniforms.channels]" : "";
  const run = runner(backend, x, options, operands);
  const sums = operands.Sums = run("sums", {
    inputs: dzInputs,
    outputShape: [image ? x.shape[0] : channels, 2],
    perWorkgroup: true,
    main: `var dz = 0.0;
      var dzx = 0.0;
      ${
      sampleLoop(
        image ? "image" : "channel",
        `let xhat = xhatAt(i); let d = dzAt(i, xhat)${weight}; dz = dz + d; dzx = dzx + d * xhat;`,
      )
    }
      let dzSum = workgroupSum(dz);
      let dzxSum = workgroupSum(dzx);
      if (localIndex == 0u) { setOutputAtIndex(s * 2, dzSum); setOutputAtIndex(s * 2 + 1, dzxSum); }`,
  });
  const gammaOfSums = image ? "" : " * Gamma[c]";
  const dx = run("dx", {
    inputs: [...dzInputs, "Sums"],
    outputShape: x.shape,
    perWorkgroup: false,
    main: `if (index < uniforms.total) {
        let c = index % uniforms.channels;
        let s = statisticOf(index);
        let xhat = xhatAt(index);
        let n = f32(uniforms.count);
        setOutputAtIndex(index, Rstd[s] * (Gamma[c] * dzAt(index, xhat) - Sums[s * 2]${gammaOfSums} / n -
          xhat * Sums[s * 2 + 1]${gammaOfSums} / n));
      }`,
  });
  const perChannel = (column: number, term: string) =>
    image
      ? run(`channel_sum_${column}`, {
        inputs: dzInputs,
        outputShape: [channels],
        perWorkgroup: true,
        main: `var sum = 0.0;
          ${sampleLoop("channel", `let xhat = xhatAt(i); sum = sum + ${term};`)}
          let total = workgroupSum(sum);
          if (localIndex == 0u) { setOutputAtIndex(s, total); }`,
      })
      : run(`channel_column_${column}`, {
        inputs: ["Sums"],
        outputShape: [channels],
        perWorkgroup: false,
        main: `if (index < uniforms.channels) { setOutputAtIndex(index, Sums[index * 2 + ${column}]); }`,
      });
  const dgamma = perChannel(1, "dzAt(i, xhat) * xhat");
  const dbeta = perChannel(0, "dzAt(i, xhat)");
  (backend as WebGpuBackend).disposeData(sums.dataId);
  return [dx, dgamma, dbeta];
};

/** Registers the fused norm + activation kernels on the WebGPU backend (once; later calls do nothing). */
export function installWebGpuNormActivation(): void {
  if (tf.getKernel(NORM_ACTIVATION, "webgpu")) return;
  tf.registerKernel({ kernelName: NORM_ACTIVATION, backendName: "webgpu", kernelFunc: webGpuNormActivation });
  tf.registerKernel({ kernelName: NORM_ACTIVATION_GRAD, backendName: "webgpu", kernelFunc: webGpuNormActivationGrad });
}
