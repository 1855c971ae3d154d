/** The activations that tfjs's fused kernels (_FusedMatMul, FusedConv2D) apply, elementwise. */
export const ACTIVATIONS: Record<string, (x: number, alpha: number) => number> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  leakyrelu: (x, alpha) => (x > 0 ? x : alpha * x),
  elu: (x) => (x >= 0 ? x : Math.exp(x) - 1),
};

/**
 * The fused kernels' epilogue, in place on rows of `width` values: + bias (one per column), then
 * the activation. Two plain loops: a closure call and a modulo per value cost more than the
 * product itself for thin layers (DCGAN's 1-channel convolution).
 */
export function biasAndActivation(
  values: Float32Array,
  width: number,
  bias: Float32Array | undefined,
  activation: string,
  alpha: number,
): void {
  if (bias) {
    for (let row = 0; row < values.length; row += width) {
      for (let j = 0; j < width; j++) values[row + j] += bias[j];
    }
  }
  if (activation === "linear") return;
  if (activation === "relu") { // the common case, inline
    for (let i = 0; i < values.length; i++) values[i] = values[i] > 0 ? values[i] : 0;
    return;
  }
  const apply = ACTIVATIONS[activation];
  for (let i = 0; i < values.length; i++) values[i] = apply(values[i], alpha);
}
