/**
 * tfjs-core's own op specs (the jasmine specs it ships, 3,000 of them over 200 files) against the
 * kernels the project gives tfjs's wasm backend: each kernel set passes every spec that stock
 * wasm passes, and fails the others only as stock wasm does (op_specs/kernel_set_check.ts).
 */
import assert from "node:assert/strict";
import { tf } from "../../../lib/tf.ts";
import { installWebGpuAddN } from "../../../lib/kernels/webgpu_add_n.ts";
import { probeWebGpu } from "../../../lib/backend.ts";
import { departuresFromStock } from "./op_specs/kernel_set_check.ts";
import { PROJECT_KERNEL_SETS, STOCK_WASM } from "./op_specs/kernel_sets.ts";
import { gist, readRecord, recordOf } from "./op_specs/stock_failures.ts";
import { runSpecs } from "./op_specs/run_specs.ts";

Deno.test("tfjs op specs - stock wasm fails exactly the recorded specs, in the recorded way", async () => {
  const [recorded, found] = await Promise.all([readRecord(), recordOf(STOCK_WASM)]);
  assert.equal(found.tfjs, recorded.tfjs, "tfjs was upgraded: record anew (op_specs/stock_failures.ts)");
  const comparable = (files: typeof found.files) =>
    Object.fromEntries(
      Object.entries(files).map(([file, r]) => [
        file,
        { ...r, failing: r.failing && Object.fromEntries(Object.entries(r.failing).map(([s, m]) => [s, gist(m)])) },
      ]),
    );
  assert.deepEqual(comparable(found.files), comparable(recorded.files));
});

for (const [name, kernels] of Object.entries(PROJECT_KERNEL_SETS)) {
  Deno.test({
    name: `tfjs op specs - ${name}: every spec that passes on stock wasm passes; the others fail as there`,
    ignore: kernels === null, // the native sets need libopenblas0-pthread (and libdnnl2), which CI installs
    async fn() {
      const { problems } = await departuresFromStock(kernels!);
      assert.deepEqual(problems, [], `${problems.length} specs depart from stock wasm:\n${problems.join("\n")}`);
    },
  });
}

const adapter = await probeWebGpu();
Deno.test({
  name: "tfjs op specs - webgpu with the project's AddN passes every AddN spec",
  ignore: adapter === null,
  async fn() {
    installWebGpuAddN();
    const outcomes = await runSpecs("ops/add_n_test.js", { name: "webgpu", backendName: "webgpu", install() {} });
    assert.ok(outcomes.length >= 9, `only ${outcomes.length} AddN specs ran`);
    assert.deepEqual(outcomes.filter((o) => o.status !== "passed"), []);
    await tf.setBackend("cpu");
  },
});
