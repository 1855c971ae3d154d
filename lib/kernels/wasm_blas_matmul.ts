/**
 * Matrix products of the wasm backend in the system BLAS (lib/kernels/system_blas.ts): the wasm
 * heap is an ArrayBuffer, so BLAS reads the operands and writes the result in place, no copy.
 * BatchMatMul (with broadcast batch dimensions and both transposes, which BLAS takes natively)
 * and _FusedMatMul (the dense layer's product + bias + activation). Every other kernel stays
 * wasm's. Tested against the cpu backend.
 */
import { tf } from "../tf.ts";
import type { WasmKernelBackend } from "./wasm_heap.ts";
import { ACTIVATIONS, biasAndActivation } from "./activations.ts";
import type { SystemBlas } from "./system_blas.ts";

type TensorInfo = tf.TensorInfo;

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

type KernelFunc = tf.KernelConfig["kernelFunc"];

/** BatchMatMul and _FusedMatMul kernels on `blas`; `fusedFallback` (wasm's own) takes what they don't. */
export function blasMatMulKernels(blas: SystemBlas, fusedFallback: KernelFunc) {
  const product = (a: TensorInfo, b: TensorInfo, attrs: MatMulAttrs, backend: WasmKernelBackend) => {
    const { transposeA, transposeB } = attrs;
    const [m, k] = transposeA ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
    const n = transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batch = tf.util.sizeFromShape(batchShape);
    if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) {
      throw new Error(`BatchMatMul: batch shapes ${a.shape} and ${b.shape} broadcast only as equal or 1`);
    }
    const out = backend.makeOutput([...batchShape, m, n], "float32");
    // Views after the allocation: growing the wasm heap detaches earlier ones.
    const [av, bv, cv] = [
      backend.typedArrayFromHeap(a),
      backend.typedArrayFromHeap(b),
      backend.typedArrayFromHeap(out),
    ];
    for (let i = 0; i < batch; i++) {
      const ai = batchA === 1 ? 0 : i, bi = batchB === 1 ? 0 : i;
      blas.sgemm(
        av.subarray(ai * m * k, (ai + 1) * m * k),
        bv.subarray(bi * k * n, (bi + 1) * k * n),
        cv.subarray(i * m * n, (i + 1) * m * n),
        { m, n, k, transposeA, transposeB },
      );
    }
    return { out, values: cv, n };
  };

  const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    return product(a, b, attrs as unknown as MatMulAttrs, backend as unknown as WasmKernelBackend).out;
  };

  const fusedMatMul: KernelFunc = (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as unknown as MatMulAttrs;
    const activation = ACTIVATIONS[attrs.activation ?? "linear"];
    // Bias other than one value per output column, and prelu, stay with wasm's own kernel.
    const simpleBias = !bias || tf.util.sizeFromShape(bias.shape) === b!.shape.at(attrs.transposeB ? -2 : -1);
    if (!activation || preluActivationWeights || !simpleBias) return fusedFallback(args);
    const backend = args.backend as unknown as WasmKernelBackend;
    const { out, n } = product(a!, b!, attrs, backend);
    const biasValues = bias ? backend.typedArrayFromHeap(bias) : undefined;
    const alpha = attrs.leakyreluAlpha ?? 0.2;
    biasAndActivation(backend.typedArrayFromHeap(out), n, biasValues, attrs.activation ?? "linear", alpha);
    return out;
  };
  return { batchMatMul, fusedMatMul };
}
