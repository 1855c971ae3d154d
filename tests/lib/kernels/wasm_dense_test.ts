/**
 * dense.wat's passes (lib/kernels/wasm_dense.ts): blas's SIMD Tanh against the exact tanh (Math.tanh
 * in double), within 2 ulp over a sweep of float32 values and at the edges; the fused dense layer's
 * epilogue on blas (bias, then ReLU or linear) bit for bit against BatchMatMul, Add and Relu on the
 * same backend, SIMD rows and odd widths alike.
 */
import assert from "node:assert/strict";
import { openSystemBlas } from "../../../lib/kernels/system_blas.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { uniformInput, valuesOn } from "../../kernel_helpers.ts";

const blas = openSystemBlas();
const ignore = blas === null; // CI installs libopenblas0-pthread; elsewhere these are skipped, saying why
if (ignore) console.warn("no system BLAS (apt-get install libopenblas0-pthread): SIMD tanh tests skipped");

const TANH_ULPS = 2;

/** The distance in float32 steps between `actual` (a float32) and the exact `expected`. */
function ulps(actual: number, expected: number): number {
  const step = (x: number) => {
    const bits = new Uint32Array(Float32Array.of(Math.abs(x)).buffer)[0];
    const next = new Float32Array(new Uint32Array([bits + 1]).buffer)[0];
    return next - Math.abs(Math.fround(x)) || Number.MIN_VALUE;
  };
  return Math.abs(actual - expected) / step(expected);
}

Deno.test({
  name: "wasm dense - blas's Tanh is within 2 ulp of the exact tanh, keeps -0, NaN and the limits",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    // every 1/4096 over [-12, 12] (both branches, the switch at 0.625, saturation), then powers of two down to subnormals
    const sweep = Array.from({ length: 24 * 4096 + 1 }, (_, i) => -12 + i / 4096);
    const tiny = Array.from({ length: 150 }, (_, i) => 2 ** -i).flatMap((x) => [x, -x, x * 1.37]);
    const x = Float32Array.from([...sweep, ...tiny, 0.625, Math.fround(0.625) - 2 ** -24, 44, 90, 1e30]);
    const [y] = await valuesOn("wasm", () => [tf.tanh(tf.tensor1d(x))]);
    let worst = { ulps: 0, at: 0 };
    x.forEach((v, i) => {
      const error = ulps(y[i], Math.tanh(v));
      if (error > worst.ulps) worst = { ulps: error, at: v };
    });
    assert.ok(worst.ulps <= TANH_ULPS, `tanh(${worst.at}) is ${worst.ulps.toFixed(2)} ulp off`);
    const [edges] = await valuesOn("wasm", () => [tf.tanh(tf.tensor1d([-0, 0, Infinity, -Infinity, NaN]))]);
    assert.ok(Object.is(edges[0], -0) && Object.is(edges[1], 0), `tanh(-0), tanh(0): ${edges[0]}, ${edges[1]}`);
    assert.deepEqual(Array.from(edges.subarray(2)), [1, -1, NaN]);
    // the same value in a SIMD lane and in the scalar tail (length 5: four lanes, then one)
    const [lanes] = await valuesOn("wasm", () => [tf.tanh(tf.tensor1d([0.3, 0.7, 2, -5, 0.3]))]);
    assert.equal(lanes[4], lanes[0]);
  },
});

Deno.test({
  name: "wasm dense - blas's fused dense layer equals BatchMatMul, Add and Relu bit for bit",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    for (const [rows, inner, width] of [[64, 32, 256], [5, 3, 7], [3, 4, 2]]) {
      for (const activation of ["linear", "relu"] as const) {
        const a = () => uniformInput([rows, inner], rows);
        const b = () => uniformInput([inner, width], width);
        // a bias with NaN and -0 in it, so that ReLU's handling of both is compared too
        const bias = () => tf.tensor1d(Array.from({ length: width }, (_, j) => [NaN, -0][j] ?? Math.sin(j)));
        const [fused] = await valuesOn("wasm", () => [tf.fused.matMul({ a: a(), b: b(), bias: bias(), activation })]);
        const [composed] = await valuesOn("wasm", () => {
          const z = tf.add(tf.matMul(a(), b()), bias());
          return [activation === "relu" ? tf.relu(z) : z];
        });
        assert.deepEqual(
          Array.from(fused),
          Array.from(composed),
          `${activation} [${rows}, ${inner}] x [${inner}, ${width}]`,
        );
      }
    }
  },
});
