/**
 * Every registered lab trains on every backend (cpu, blas, wasm, webgpu): a tiny run of each, in
 * this process, must finish with finite training losses (or returns), learned weights that differ
 * between its last two checkpoints, and as many live tfjs tensors at its last logged step as at
 * its second (issue 6: "no tfjs memory growth"). The matrix is built from labs/mod.ts, so a lab
 * added there without an entry in TINY (tiny_runs.ts) fails the first test, by name.
 *
 *   deno test -A tests/labs/every_backend_test.ts
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LABS } from "../../labs/mod.ts";
import { probeWebGpu } from "../../lib/backend.ts";
import { type CheckpointState, decodeCheckpoint, listCheckpoints } from "../../lib/checkpoint.ts";
import { openSystemBlas } from "../../lib/kernels/system_blas.ts";
import { readEvents, readRunInfo } from "../../lib/run/run_reader.ts";
import { scalars, withTempDir } from "../helpers.ts";
import { TINY } from "./tiny_runs.ts";

/**
 * Throws unless tfjs held as many tensors at the last logged point as at the point of step
 * `fromStep`, by default the second one (the first may still lack one-off allocations such as
 * optimizer slots).
 */
export function assertNoTensorGrowth(counts: { step: number; value: number }[], what: string, fromStep?: number): void {
  if (counts.length < 3) {
    throw new Error(`${what}: ${counts.length} system/num_tensors events; at least 3 are needed to see growth`);
  }
  const from = fromStep === undefined ? counts[1] : counts.find((c) => c.step === fromStep);
  if (!from) throw new Error(`${what}: no system/num_tensors event at step ${fromStep}`);
  const last = counts.at(-1)!;
  if (last.value !== from.value) {
    throw new Error(
      `${what}: tfjs held ${from.value} tensors at step ${from.step} and ${last.value} at step ${last.step}`,
    );
  }
}

/**
 * What a checkpoint holds that only training changes: weights, or a Q-table; not optimizer moments,
 * replay buffers or logs of actions, which change whether or not anything is learned.
 */
function learned(checkpoint: CheckpointState): number[] {
  const groups = Object.entries(checkpoint.tensors).filter(([group]) => !/optimi[sz]er|replay|action/i.test(group));
  const values = groups.flatMap(([, arrays]) => arrays.flatMap((a) => Array.from(a.data)));
  return values.length ? values : (checkpoint.meta.qTable as number[] ?? []);
}

/** The learned state in the run's last two checkpoints. */
async function lastTwoCheckpoints(dir: string): Promise<[number[], number[]]> {
  const names = await listCheckpoints(join(dir, "checkpoints"));
  assert.ok(names.length >= 2, `${dir}: ${names.length} checkpoint(s); the tiny settings must give two`);
  const load = async (name: string) => {
    const bytes = await Deno.readFile(join(dir, "checkpoints", name));
    return learned(await decodeCheckpoint(bytes, name));
  };
  return [await load(names[1]), await load(names[0])];
}

async function checkTinyRun(id: string, backend: string): Promise<void> {
  const tiny = TINY[id];
  const { main } = await LABS[tiny.lab ?? id]();
  await withTempDir(async (root) => {
    const runsDir = join(root, "runs");
    const extra = tiny.setUp ? await tiny.setUp(root) : [];
    await main(["--no-dashboard", "--runs-dir", runsDir, "--backend", backend, "--seed", "3", ...tiny.flags, ...extra]);
    const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
    const dir = join(runsDir, entry.name);
    const info = await readRunInfo(dir);
    assert.equal(info.status, "finished", `${id} on ${backend}: ${info.error ?? ""}`);
    assert.equal(info.backend.name, backend);

    const events = await readEvents(dir);
    for (const key of tiny.lossKeys) {
      const values = scalars(events, key).map((s) => s.value);
      assert.ok(values.length > 0, `${id} on ${backend}: no ${key} events`);
      assert.ok(values.every(Number.isFinite), `${id} on ${backend}: ${key} ${values.join(", ")}`);
    }

    if (tiny.changes === "loss") {
      const losses = scalars(events, tiny.lossKeys[0]).map((s) => s.value);
      assert.ok(new Set(losses).size > 1, `${id} on ${backend}: ${tiny.lossKeys[0]} never moved from ${losses[0]}`);
    } else {
      const [before, after] = await lastTwoCheckpoints(dir);
      assert.ok(before.length > 0, `${id}: its checkpoints hold no learned values`);
      assert.ok(after.some((v, i) => v !== before[i]), `${id} on ${backend}: the weights did not change`);
      assert.ok(after.every(Number.isFinite), `${id} on ${backend}: non-finite weights`);
    }

    if (!tiny.noTfjs) {
      assertNoTensorGrowth(scalars(events, "system/num_tensors"), `${id} on ${backend}`, tiny.tensorsFrom);
    }
  });
}

Deno.test("every backend - every lab registered in labs/mod.ts has tiny settings in TINY", () => {
  const covered = new Set(Object.entries(TINY).map(([id, tiny]) => tiny.lab ?? id));
  const missing = Object.keys(LABS).filter((id) => !covered.has(id));
  assert.deepEqual(
    missing,
    [],
    `labs without an entry in TINY of tests/labs/every_backend_test.ts: ${missing.join(", ")}; ` +
      "add the smallest flags that still train (take them from the lab's own test)",
  );
  const stale = [...covered].filter((id) => !(id in LABS));
  assert.deepEqual(stale, [], `TINY has entries for labs that are not registered: ${stale.join(", ")}`);
});

Deno.test("every backend - the tensor-growth check fails on a growing count and passes on a flat one", () => {
  const series = (values: number[]) => values.map((value, i) => ({ step: 10 * (i + 1), value }));
  assert.throws(() => assertNoTensorGrowth(series([40, 52, 52, 53]), "growing"), /52 tensors at step 20 and 53/);
  assert.throws(() => assertNoTensorGrowth(series([40, 52]), "short"), /at least 3/);
  assertNoTensorGrowth(series([40, 52, 52, 52]), "flat after warm-up");
  assert.throws(() => assertNoTensorGrowth(series([40, 52, 60, 52, 61]), "from step 30", 30), /60 tensors at step 30/);
  assertNoTensorGrowth(series([40, 52, 60, 52, 60]), "from step 30", 30);
  assert.throws(
    () => assertNoTensorGrowth(series([40, 52, 60]), "no such step", 35),
    /no system\/num_tensors event at step 35/,
  );
  // A count that falls is not equal either: tensors freed that training had made are a bug to look at too.
  assert.throws(() => assertNoTensorGrowth(series([40, 52, 50]), "shrinking"), /52 tensors at step 20 and 50/);
});

/** Why a backend cannot run here, or null when it can. */
async function unavailable(backend: string): Promise<string | null> {
  if (backend === "blas" && openSystemBlas() === null) {
    return "no system BLAS (libopenblas0-pthread) was found";
  }
  if (backend === "webgpu" && (await probeWebGpu()) === null) {
    return "no WebGPU adapter was found (see deno task doctor)";
  }
  return null;
}

for (const backend of ["cpu", "blas", "wasm", "webgpu"]) {
  const why = await unavailable(backend);
  if (why) console.warn(`every backend: skipping the ${backend} backend: ${why}`);
  for (const [id, tiny] of Object.entries(TINY)) {
    if (!((tiny.lab ?? id) in LABS) || (tiny.backends && !tiny.backends.includes(backend))) continue;
    Deno.test({
      name: `every backend - ${id} trains on ${backend}: finishes, finite losses, weights change, no tensor growth`,
      ignore: why !== null,
      fn: () => checkTinyRun(id, backend),
    });
  }
}
