/**
 * blas's SIMD Exp, Log1p and Tanh (lib/kernels/wasm_unary.ts) against the exact functions (Math's,
 * in double): within 2 ulp over sweeps of float32 values, and at the edges (infinities, NaN, -0,
 * subnormal results, log1p's -1 and below). tfjs's own op specs run them too (tfjs_op_specs_test.ts).
 */
import assert from "node:assert/strict";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { tf } from "../../../lib/tf.ts";
import { systemBlasFor, valuesOn } from "../../kernel_helpers.ts";

const blas = systemBlasFor("SIMD unary kernel tests");
const ignore = blas === null;

const ULPS = 2;

/** The distance in float32 steps between `actual` (a float32) and the exact `expected`. */
function ulps(actual: number, expected: number): number {
  if (Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected))) return 0;
  const rounded = Math.fround(expected);
  if (!Number.isFinite(rounded)) return actual === rounded ? 0 : Infinity;
  const bits = new Uint32Array(Float32Array.of(Math.abs(rounded)).buffer)[0];
  const step = new Float32Array(new Uint32Array([bits + 1]).buffer)[0] - Math.abs(rounded);
  return Math.abs(actual - expected) / step;
}

/** Evenly spaced values over [from, to], then powers of two from 1 down to subnormals, both signs. */
function sweep(from: number, to: number, count: number): number[] {
  const even = Array.from({ length: count + 1 }, (_, i) => from + ((to - from) * i) / count);
  const tiny = Array.from({ length: 150 }, (_, i) => 2 ** -i).flatMap((x) => [x, -x, x * 1.37]);
  return [...even, ...tiny];
}

const FUNCTIONS = [
  { name: "Exp", op: tf.exp, exact: Math.exp, values: sweep(-104, 89, 200_000) },
  { name: "Log1p", op: tf.log1p, exact: Math.log1p, values: [...sweep(-1, 20, 100_000), 1e10, 3e38] },
  { name: "Tanh", op: tf.tanh, exact: Math.tanh, values: [...sweep(-12, 12, 100_000), 44, 90, 1e30] },
] as const;

for (const { name, op, exact, values } of FUNCTIONS) {
  Deno.test({
    name: `wasm unary - blas's ${name} is within ${ULPS} ulp of the exact value over a sweep`,
    ignore,
    async fn() {
      configureWasmKernels({ blas });
      const x = Float32Array.from(values);
      const [y] = await valuesOn("wasm", () => [op(tf.tensor1d(x))]);
      let worst = { ulps: 0, at: 0 };
      x.forEach((v, i) => {
        const error = ulps(y[i], exact(v));
        if (error > worst.ulps) worst = { ulps: error, at: v };
      });
      assert.ok(worst.ulps <= ULPS, `${name}(${worst.at}) is ${worst.ulps.toFixed(2)} ulp off`);
      // the same values through the two-vector path, the one-vector path and the scalar tail (13: 8 + 4 + 1)
      const inputs = [0.3, 0.7, 2, -5, -0.3, 1.3, 9, 0.01, 0.3, 0.7, 2, -5, 0.3];
      const [lanes] = await valuesOn("wasm", () => [op(tf.tensor1d(inputs))]);
      assert.deepEqual([lanes[8], lanes[9], lanes[10], lanes[11], lanes[12]], [...lanes.subarray(0, 4), lanes[0]]);
    },
  });
}

Deno.test({
  name: "wasm unary - edges: infinities, NaN, -0, overflow and underflow, log1p at and below -1",
  ignore,
  async fn() {
    configureWasmKernels({ blas });
    const cases: [typeof tf.exp, number[], number[]][] = [
      [tf.exp, [Infinity, -Infinity, NaN, 0, 89, -104, -100], [
        Infinity,
        0,
        NaN,
        1,
        Infinity,
        0,
        Math.fround(Math.exp(-100)),
      ]],
      [tf.log1p, [-1, -2, Infinity, NaN, -0, 0], [-Infinity, NaN, Infinity, NaN, -0, 0]],
      [tf.tanh, [-0, 0, Infinity, -Infinity, NaN], [-0, 0, 1, -1, NaN]],
    ];
    for (const [op, inputs, expected] of cases) {
      const [y] = await valuesOn("wasm", () => [op(tf.tensor1d(inputs))]);
      expected.forEach((e, i) => assert.ok(Object.is(y[i], e), `${op.name}(${inputs[i]}) = ${y[i]}, expected ${e}`));
    }
  },
});
