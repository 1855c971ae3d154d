/** The activations that tfjs's fused kernels (_FusedMatMul, FusedConv2D) apply, elementwise. */
export const ACTIVATIONS: Record<string, (x: number, alpha: number) => number> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  leakyrelu: (x, alpha) => (x > 0 ? x : alpha * x),
  elu: (x) => (x >= 0 ? x : Math.exp(x) - 1),
};
