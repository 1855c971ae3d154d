import assert from "node:assert/strict";
import { adam, PYTORCH_ADAM } from "../../../lib/adam.ts";
import { probeWebGpu, useBackend } from "../../../lib/backend.ts";
import { gpuCounters } from "../../../lib/gpu_counters.ts";
import { tf } from "../../../lib/tf.ts";
import { assertClose } from "../../helpers.ts";
import { trainAdam as train } from "../../kernel_helpers.ts";

// Deno finds Mesa's software adapter on machines without a GPU, so this runs in CI.
const webGpu = await probeWebGpu();

Deno.test({
  name: "webgpu_adam - the fused update follows tf.train.adam with 3 dispatches per variable, no read-back, no upload",
  ignore: !webGpu,
  async fn() {
    await useBackend("webgpu"); // installs the kernel
    const expected = await train(tf.train.adam(0.01, 0.9, 0.999, 1e-8), 12);
    const actual = await train(adam(0.01, PYTORCH_ADAM), 12);
    actual.forEach((values, i) => assertClose(values, expected[i]));
    const w = tf.variable(tf.randomUniform([300], -1, 1, "float32", 1));
    const optimizer = adam(0.01, PYTORCH_ADAM);
    const gradient = tf.randomUniform([300], -1, 1, "float32", 2);
    const step = () => optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    step(); // creates the moments
    const counts = gpuCounters()!, before = { ...counts }, tensors = tf.memory().numTensors;
    step();
    // 3 for the variable, 2 for the running beta powers
    assert.equal(counts.dispatches - before.dispatches, 5);
    assert.equal(counts.readbacks, before.readbacks);
    assert.equal(counts.uploads, before.uploads, "no constant uploaded per step");
    assert.equal(tf.memory().numTensors, tensors);
    tf.dispose([w, gradient]);
    optimizer.dispose();
  },
});
