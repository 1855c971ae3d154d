import assert from "node:assert/strict";
import { probeWebGpu, useBackend } from "../../../lib/backend.ts";
import { Rng } from "../../../lib/rng.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";

// Deno finds Mesa's software adapter on machines without a GPU (8 storage buffers per shader), so this runs in CI.
const adapter = await probeWebGpu();

/** `count` seeded [16, 16] arrays: the inputs of one AddN. */
function inputs(count: number): Float32Array[] {
  const rng = new Rng(count);
  return Array.from({ length: count }, () => Float32Array.from({ length: 256 }, () => rng.normal()));
}

async function addNOn(backend: "cpu" | "webgpu", arrays: Float32Array[]): Promise<Float32Array> {
  await useBackend(backend);
  const xs = arrays.map((a) => tf.tensor2d(a, [16, 16]));
  const sum = tf.addN(xs);
  const values = await sum.data() as Float32Array;
  tf.dispose([...xs, sum]);
  return values;
}

Deno.test({
  name: "webgpu_add_n - AddN of 1 to 30 inputs on WebGPU equals the cpu backend's, past the 8-buffer limit",
  ignore: !adapter,
  async fn() {
    for (const count of [1, 2, 7, 8, 9, 13, 30]) {
      const arrays = inputs(count);
      const expected = await addNOn("cpu", arrays);
      assertClose(await addNOn("webgpu", arrays), expected, { rtol: 1e-5, atol: 1e-5 });
    }
  },
});

Deno.test({
  name: "webgpu_add_n - the partial sums of a chunked AddN are freed",
  ignore: !adapter,
  async fn() {
    await useBackend("webgpu");
    const xs = inputs(20).map((a) => tf.tensor2d(a, [16, 16]));
    const before = tf.memory() as { numTensors: number; numDataBuffers: number };
    const sum = tf.addN(xs);
    await sum.data();
    const after = tf.memory() as { numTensors: number; numDataBuffers: number };
    assert.equal(after.numTensors, before.numTensors + 1);
    assert.equal(after.numDataBuffers, before.numDataBuffers + 1);
    tf.dispose([...xs, sum]);
  },
});
