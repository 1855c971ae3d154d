/**
 * Matrix products of the wasm backend in the system BLAS (lib/kernels/system_blas.ts): the wasm
 * heap is an ArrayBuffer, so BLAS reads the operands and writes the result in place, no copy.
 * BatchMatMul (with broadcast batch dimensions and both transposes, which BLAS takes natively)
 * and _FusedMatMul (the dense layer's product + bias + activation). Every other kernel stays
 * wasm's. Tested against the cpu backend.
 */
import { tf } from "../tf.ts";
import { allFloat32, type WasmKernelBackend } from "./wasm_heap.ts";
import { biasAndActivation, fusedActivation } from "./activations.ts";
import type { SystemBlas } from "./system_blas.ts";

type TensorInfo = tf.TensorInfo;

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

type KernelFunc = tf.KernelConfig["kernelFunc"];

/**
 * The checks of tfjs's own BatchMatMul, with its message: operands of rank 2 or more whose inner
 * dimensions agree and whose batch dimensions broadcast. Run before any BLAS call, so that a
 * product never reads past an operand. (Operands other than float32 never get here: they go to
 * wasm's own kernel, which refuses them as stock tfjs does.)
 */
function productShape(a: TensorInfo, b: TensorInfo, { transposeA, transposeB }: MatMulAttrs) {
  const innerA = a.shape.at(transposeA ? -2 : -1), innerB = b.shape.at(transposeB ? -1 : -2);
  tf.util.assert(
    a.shape.length >= 2 && b.shape.length >= 2 && innerA === innerB,
    () =>
      `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ${a.shape} and ` +
      `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const m = a.shape.at(transposeA ? -1 : -2)!, n = b.shape.at(transposeB ? -2 : -1)!;
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return { m, n, k: innerA!, batchShape };
}

/**
 * The flat batch index of an operand with batch shape `from` that feeds output batch `i` of
 * `to`, by NumPy's broadcasting: each axis of size 1 repeats.
 */
function broadcastIndex(to: number[], from: number[]): (i: number) => number {
  const strides = from.map((_, axis) => tf.util.sizeFromShape(from.slice(axis + 1)));
  const offset = to.length - from.length;
  return (i) => {
    let index = 0;
    for (let axis = to.length - 1, rest = i; axis >= 0; axis--) {
      const coordinate = rest % to[axis];
      rest = Math.floor(rest / to[axis]);
      const own = axis - offset;
      if (own >= 0 && from[own] !== 1) index += coordinate * strides[own];
    }
    return index;
  };
}

/** BatchMatMul and _FusedMatMul kernels on `blas`; wasm's own kernels take what they don't. */
export function blasMatMulKernels(blas: SystemBlas, originals: { batchMatMul: KernelFunc; fusedMatMul: KernelFunc }) {
  const product = (a: TensorInfo, b: TensorInfo, attrs: MatMulAttrs, backend: WasmKernelBackend) => {
    const { transposeA, transposeB } = attrs;
    const { m, n, k, batchShape } = productShape(a, b, attrs);
    const batch = tf.util.sizeFromShape(batchShape);
    const [indexA, indexB] = [a, b].map((t) => broadcastIndex(batchShape, t.shape.slice(0, -2)));
    const out = backend.makeOutput([...batchShape, m, n], "float32");
    // Views after the allocation: growing the wasm heap detaches earlier ones.
    const [av, bv, cv] = [
      backend.typedArrayFromHeap(a),
      backend.typedArrayFromHeap(b),
      backend.typedArrayFromHeap(out),
    ];
    for (let i = 0; i < batch; i++) {
      const ai = indexA(i), bi = indexB(i);
      blas.sgemm(
        av.subarray(ai * m * k, (ai + 1) * m * k),
        bv.subarray(bi * k * n, (bi + 1) * k * n),
        cv.subarray(i * m * n, (i + 1) * m * n),
        { m, n, k, transposeA, transposeB },
      );
    }
    return { out, n };
  };

  const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    if (!allFloat32(a, b)) return originals.batchMatMul({ inputs, backend, attrs });
    return product(a, b, attrs as unknown as MatMulAttrs, backend as unknown as WasmKernelBackend).out;
  };

  const fusedMatMul: KernelFunc = (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as unknown as MatMulAttrs;
    const applied = fusedActivation(attrs.activation ?? "linear");
    // Bias other than one value per output column, and prelu, stay with wasm's own kernel.
    const simpleBias = !bias || tf.util.sizeFromShape(bias.shape) === b!.shape.at(attrs.transposeB ? -2 : -1);
    if (!applied || preluActivationWeights || !simpleBias || !allFloat32(a, b, bias)) {
      return originals.fusedMatMul(args);
    }
    const backend = args.backend as unknown as WasmKernelBackend;
    const { out, n } = product(a!, b!, attrs, backend);
    biasAndActivation(backend, out, n, bias, attrs.activation ?? "linear", attrs.leakyreluAlpha ?? 0.2);
    return out;
  };
  return { batchMatMul, fusedMatMul };
}
