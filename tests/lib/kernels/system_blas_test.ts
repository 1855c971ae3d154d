import assert from "node:assert/strict";
import { blasThreads, openSystemBlas } from "../../../lib/kernels/system_blas.ts";

Deno.test("system_blas - threads: half the cores (at least one), unless OPENBLAS_NUM_THREADS names a count", () => {
  assert.equal(blasThreads(2, undefined), 1);
  assert.equal(blasThreads(1, undefined), 1);
  assert.equal(blasThreads(16, undefined), 8);
  assert.equal(blasThreads(2, "2"), 2);
  assert.equal(blasThreads(16, "3"), 3);
  assert.equal(blasThreads(8, "0"), 4, "not a count: the default");
  assert.equal(blasThreads(8, "many"), 4, "not a count: the default");
});

Deno.test({
  name: "system_blas - products small (one thread) and large (all threads) match a naive product",
  ignore: !openSystemBlas(),
  fn() {
    const blas = openSystemBlas()!;
    for (const [m, n, k] of [[3, 4, 5], [300, 260, 250]]) { // 3.75 k and 19.5 M multiply-adds
      const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
      const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
      const c = new Float32Array(m * n);
      blas.sgemm(a, b, c, { m, n, k, transposeA: false, transposeB: false });
      for (const [i, j] of [[0, 0], [m - 1, n - 1], [Math.floor(m / 2), 1]]) {
        let expected = 0;
        for (let p = 0; p < k; p++) expected += a[i * k + p] * b[p * n + j];
        assert.ok(
          Math.abs(c[i * n + j] - expected) < 1e-3 * Math.max(1, Math.abs(expected)),
          `[${m}x${k}x${n}] c[${i},${j}]`,
        );
      }
    }
  },
});
