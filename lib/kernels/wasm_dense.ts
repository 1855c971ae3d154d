/**
 * dense.wat's passes over tfjs's wasm heap, called with tensors: a dense layer's epilogue (bias,
 * then ReLU or tanh), its backward pass through activation and bias, column sums, clipping's sum
 * of squares and scaling. The kernels of wasm_blas_matmul.ts, wasm_blas_conv2d.ts,
 * wasm_activation_bias_grad.ts, wasm_leading_reduce.ts and wasm_clip_grad_norm.ts call them: SIMD
 * in place of TypeScript loops over heap views, which V8 optimised poorly there (6 to 13 ns a value
 * against under 1).
 */
import { tf } from "../tf.ts";
import { DENSE_WASM } from "./wasm_dense_module.ts";
import { exportsIn, heapAddress, heapMemory } from "./wasm_heap.ts";

type TensorInfo = tf.TensorInfo;

/** The activations dense.wat applies, by its codes. */
export const DENSE_ACTIVATIONS = { linear: 0, relu: 1, tanh: 2 } as const;
export type DenseActivation = keyof typeof DENSE_ACTIVATIONS;

export const isDenseActivation = (name: string): name is DenseActivation => Object.hasOwn(DENSE_ACTIVATIONS, name);

interface DenseExports {
  biasActivation(values: number, count: number, width: number, bias: number, hasBias: number, act: number): void;
  activationBiasGrad(dy: number, y: number, da: number, db: number, rows: number, width: number, act: number): void;
  columnSums(x: number, rows: number, width: number, out: number): void;
  sumOfSquares(x: number, count: number): number;
  scale(x: number, out: number, count: number, s: number): void;
}

const exportsOf = (backend: unknown) => exportsIn(heapMemory(backend), DENSE_WASM) as unknown as DenseExports;
const size = (t: TensorInfo) => tf.util.sizeFromShape(t.shape);

/** out = act(out + bias) in place, out being rows of `width` values and bias (if any) one per column. */
export function biasActivation(
  backend: unknown,
  out: TensorInfo,
  width: number,
  bias: TensorInfo | undefined,
  activation: DenseActivation,
): void {
  const at = (t: TensorInfo) => heapAddress(backend, t);
  exportsOf(backend).biasActivation(
    at(out),
    size(out),
    width,
    bias ? at(bias) : 0,
    bias ? 1 : 0,
    DENSE_ACTIVATIONS[activation],
  );
}

/** da = act'(y) dy and db = the column sums of da, for dy and y [rows, width]. */
export function activationBiasGradInto(
  backend: unknown,
  { dy, y, da, db }: Record<"dy" | "y" | "da" | "db", TensorInfo>,
  activation: "relu" | "tanh",
): void {
  const [rows, width] = dy.shape;
  const at = (t: TensorInfo) => heapAddress(backend, t);
  exportsOf(backend).activationBiasGrad(at(dy), at(y), at(da), at(db), rows, width, DENSE_ACTIVATIONS[activation]);
}

/**
 * out[j] = x[0, j] + x[1, j] + ... over [rows, width] (0 without rows), row after row: x and out
 * given as byte offsets in the heap (slices of tensors).
 */
export function columnSumsAt(backend: unknown, x: number, rows: number, width: number, out: number): void {
  exportsOf(backend).columnSums(x, rows, width, out);
}

/** The float32 sum of x's squares, in order. */
export const sumOfSquares = (backend: unknown, x: TensorInfo): number =>
  exportsOf(backend).sumOfSquares(heapAddress(backend, x), size(x));

/** out = x s (s a float32). */
export function scaleInto(backend: unknown, x: TensorInfo, out: TensorInfo, s: number): void {
  exportsOf(backend).scale(heapAddress(backend, x), heapAddress(backend, out), size(x), s);
}
