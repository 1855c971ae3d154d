/**
 * Every registered lab trains on every backend (cpu, blas, wasm, webgpu): a tiny run of each, in
 * this process, must finish with finite training losses (or returns), learned weights that differ
 * between its last two checkpoints, and as many live tfjs tensors at its last logged step as at
 * its second (issue 6: "no tfjs memory growth"). The matrix is built from labs/mod.ts, so a lab
 * added there without an entry in TINY below fails the first test, by name.
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
import { fakeFashion } from "../fake_fashion.ts";

/** A lab's smallest run that still trains, and what it logs while training. */
export interface TinyRun {
  /** the registered lab, for a variant keyed by a longer name (default: the key) */
  lab?: string;
  /** the backends it runs on (default: all); a variant that is too slow elsewhere says why */
  backends?: string[];
  /** flags besides --no-dashboard, --runs-dir and --backend */
  flags: string[];
  /** scalar keys logged while training that must be finite numbers */
  lossKeys: string[];
  /** set for a lab that does not use tfjs (tabular): no tensors to count */
  noTfjs?: true;
  /** the logged step whose tensor count the last must equal (default: the second logged one) */
  tensorsFrom?: number;
  /**
   * What shows training: "weights" (default) differ between the last two checkpoints; "loss": the
   * first loss key takes more than one value, for a lab whose last checkpoints hold no trained weights.
   */
  changes?: "weights" | "loss";
  /** writes what the run needs into a temporary folder and returns more flags that point to it */
  setUp?: (dir: string) => Promise<string[]>;
}

/** 20 stand-in Fashion-MNIST images: ae-mnist runs anywhere. */
const fashion = async (dir: string) => ["--fashion-dir", await fakeFashion(dir, 20)];

/** The epoch labs' run length: 6 steps of 2 images, logged every 2 and checkpointed every 3 (two checkpoints). */
const EPOCH = ["--max-steps", "6", "--log-every", "2", "--checkpoint-every", "3", "--batch-size", "2"];

/**
 * Tiny settings per lab, taken from each lab's own test. Epoch labs: 6 optimisation steps, logged
 * every 2, checkpointed every 3. RL labs: a few hundred env steps with a handful of updates, few
 * read-backs per env step (each costs milliseconds on WebGPU): DQN acts at random (epsilon 1).
 */
export const TINY: Record<string, TinyRun> = {
  "vae-mnist": {
    flags: [...EPOCH, "--hidden", "16", "--latent", "4", "--eval-images", "20", "--sample-count", "0"],
    lossKeys: ["train/loss"],
  },
  // The Keras conv VAE has fixed widths (32, 64 channels): about 90 s on cpu and 50 s on webgpu
  // here, too slow for this file; the mlp with a 2-D code covers the latent map and manifold.
  "vae-mnist --arch conv": {
    lab: "vae-mnist",
    flags: [...EPOCH, "--arch", "conv", "--latent", "4", "--eval-images", "20", "--sample-count", "0"],
    lossKeys: ["train/loss"],
    backends: ["blas", "wasm"],
  },
  "vae-mnist --latent 2": {
    lab: "vae-mnist",
    flags: [...EPOCH, "--hidden", "16", "--latent", "2", "--eval-images", "20", "--sample-count", "0"],
    lossKeys: ["train/loss"],
  },
  "classifier-mnist": { flags: [...EPOCH, "--eval-images", "20"], lossKeys: ["train/loss"] },
  "ae-mnist": {
    flags: [...EPOCH, "--width", "4", "--latent", "8", "--eval-images", "20"],
    lossKeys: ["train/loss"],
    setUp: fashion,
  },
  "gan-mnist": {
    flags: [...EPOCH, "--width", "4", "--latent", "8", "--sample-count", "0"],
    lossKeys: ["train/d_loss", "train/g_loss"],
  },
  "diffusion-mnist": {
    flags: [...EPOCH, "--width", "4", "--sample-steps", "1", "--sample-count", "0", "--sample-batch", "64"],
    lossKeys: ["train/loss"],
  },
  // Each cell trains a new model, so tensor counts differ between cells; the last cell (scratch, 5
  // labels) must hold as many as the same mode's cell of the first size (step 21), and the weights
  // saved are the pretrained ones, fixed during the cells, so the cell loss must move instead.
  "transfer-mnist": {
    flags: [
      ...["--max-steps", "6", "--log-every", "3", "--batch-size", "8", "--filters", "2", "--hidden", "8"],
      ...["--eval-images", "20", "--labels-per-class", "2,5", "--pretrain-epochs", "1"],
    ],
    lossKeys: ["train/loss", "train/cell_loss"],
    tensorsFrom: 21,
    changes: "loss",
  },
  "dqn-cartpole": {
    flags: [
      ...["--hidden-size", "8", "--batch-size", "16", "--buffer-size", "1000", "--total-timesteps", "400"],
      ...["--learning-starts", "50", "--train-frequency", "50", "--gradient-steps", "4", "--log-every", "100"],
      ...["--eval-every", "400", "--eval-episodes", "1", "--checkpoint-every", "150", "--end-epsilon", "1"],
    ],
    lossKeys: ["losses/td_loss", "charts/episodic_return"],
  },
  "dqn-acrobot": {
    flags: [
      ...["--hidden-size", "8", "--batch-size", "16", "--buffer-size", "1000", "--total-timesteps", "600"],
      ...["--learning-starts", "50", "--train-frequency", "50", "--gradient-steps", "4", "--log-every", "100"],
      ...["--eval-every", "600", "--eval-episodes", "1", "--checkpoint-every", "150", "--end-epsilon", "1"],
    ],
    lossKeys: ["losses/td_loss", "charts/episodic_return"],
  },
  "qlearning-frozenlake": {
    flags: [
      ...["--total-timesteps", "3000", "--log-every", "500", "--checkpoint-every", "1000"],
      ...["--eval-every", "3000", "--eval-episodes", "10"],
    ],
    lossKeys: ["charts/episodic_return"],
    noTfjs: true,
  },
  "reinforce-cartpole": {
    flags: ["--episodes", "4", "--hidden", "8", "--eval-every", "4", "--eval-episodes", "1", "--checkpoint-every", "2"],
    lossKeys: ["losses/policy_loss", "losses/value_loss", "charts/episodic_return"],
  },
  "ppo-cartpole": {
    flags: [
      ...["--num-envs", "2", "--num-steps", "8", "--num-minibatches", "2", "--update-epochs", "2"],
      ...["--hidden", "8", "--total-timesteps", "64", "--eval-every", "4", "--eval-episodes", "1"],
      ...["--checkpoint-every", "2"],
    ],
    lossKeys: ["losses/policy_loss", "losses/value_loss"],
  },
  "ppo-pendulum": {
    flags: [
      ...["--num-envs", "2", "--num-steps", "8", "--num-minibatches", "2", "--update-epochs", "2"],
      ...["--hidden", "8", "--total-timesteps", "64", "--eval-every", "4", "--eval-episodes", "1"],
      ...["--checkpoint-every", "2"],
    ],
    lossKeys: ["losses/policy_loss", "losses/value_loss"],
  },
};

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
