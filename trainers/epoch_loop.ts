/**
 * The training loop every epoch-based lab shares (VAE, classifier, autoencoder, GAN, diffusion):
 * shuffled minibatches whose order in epoch e is a function of (seed, e) alone, so a resumed run
 * continues mid-epoch in the same order; losses read back once per `logEvery` steps (one
 * read-back, not one per step: on a GPU each read-back stalls the pipeline); speed measured
 * without the time spent evaluating and checkpointing; checkpoints every `checkpointEvery` steps
 * and after every epoch; and the lab's evaluation after every epoch and at the end of a run
 * capped by --max-steps.
 */
import { gpuCounters } from "../lib/gpu_counters.ts";
import { Progress } from "../runner/progress.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import type { RunWriter } from "../lib/run/run_writer.ts";
import { tf } from "../lib/tf.ts";
import type { Spec } from "../lib/hparams.ts";

/**
 * The flags the loop reads, declared once for every epoch lab; a lab gives its own defaults:
 * `...epochFlags({ epochs: 10 })`.
 */
export function epochFlags({ epochs, checkpointEvery = 0 }: { epochs: number; checkpointEvery?: number }) {
  return {
    epochs: { type: "int", default: epochs, min: 1, max: 1000, help: "passes over the 60,000 training images" },
    logEvery: {
      type: "int",
      default: 10,
      min: 1,
      help: "steps between train/* events (each the mean over those steps)",
    },
    checkpointEvery: {
      type: "int",
      default: checkpointEvery,
      min: 0,
      help: "also checkpoint every N steps (0: only at the end of each epoch)",
    },
  } as const satisfies Spec;
}

export interface EpochPlan {
  epochs: number;
  batchSize: number;
  /** training examples per epoch */
  trainCount: number;
  /** cap on optimisation steps, 0 for none */
  maxSteps: number;
}

export function planSteps({ epochs, batchSize, trainCount, maxSteps }: EpochPlan) {
  const stepsPerEpoch = Math.ceil(trainCount / batchSize);
  const planned = epochs * stepsPerEpoch;
  return { stepsPerEpoch, totalSteps: maxSteps ? Math.min(maxSteps, planned) : planned };
}

export interface EpochLoop extends EpochPlan {
  run: RunWriter;
  seed: number;
  logEvery: number;
  checkpointEvery: number;
  /** the step to start from (a resumed run's checkpoint step) */
  startStep: number;
  /** One optimisation step on the examples at `indices`; returns its losses, not yet read back. */
  trainStep(indices: Int32Array, step: number): Record<string, tf.Scalar>;
  /** Evaluates, logs and draws after epoch `epoch` (1-based); returns a line for the console. */
  endOfEpoch(epoch: number, step: number): Promise<string>;
  /** What a checkpoint holds besides the step: weights, optimizer state, RNG states. */
  checkpointState(): Promise<
    { tensors: Parameters<RunWriter["checkpoint"]>[0]["tensors"]; meta: Record<string, unknown> }
  >;
}

export interface LoopResult {
  steps: number;
  msPerStep: number;
  samplesPerSecond: number;
}

export async function runEpochs(loop: EpochLoop): Promise<LoopResult> {
  const { run, batchSize, logEvery, checkpointEvery } = loop;
  const { stepsPerEpoch, totalSteps } = planSteps(loop);
  const progress = new Progress({ totalSteps, startStep: loop.startStep });
  const training = { ms: 0, steps: 0 };
  let step = loop.startStep;
  let pending: Record<string, tf.Scalar>[] = [];
  let windowStart = performance.now();
  // On WebGPU: read-backs and dispatches per step, counted over the same window as the speed.
  const gpu = gpuCounters();
  let gpuStart = gpu && { ...gpu };
  const startWindow = () => {
    windowStart = performance.now();
    gpuStart = gpu && { ...gpu };
  };
  const epochSums: Record<string, number> = {};
  let epochSteps = 0;

  const flush = async () => {
    if (!pending.length) return;
    const keys = Object.keys(pending[0]);
    const stacked = tf.stack(pending.flatMap((losses) => keys.map((k) => losses[k]))); // [steps * keys]
    const values = await stacked.data();
    tf.dispose([stacked, ...pending.flatMap((losses) => Object.values(losses))]);
    const means = Object.fromEntries(keys.map((key, k) => {
      let sum = 0;
      for (let s = 0; s < pending.length; s++) sum += values[s * keys.length + k];
      epochSums[key] = (epochSums[key] ?? 0) + sum;
      return [key, sum / pending.length];
    }));
    const windowMs = performance.now() - windowStart;
    const msPerStep = windowMs / pending.length;
    training.ms += windowMs;
    training.steps += pending.length;
    epochSteps += pending.length;
    run.scalars(step, {
      ...means,
      "system/ms_per_step": msPerStep,
      "system/samples_per_second": (1000 * batchSize) / msPerStep,
      "system/num_tensors": tf.memory().numTensors,
      "system/num_bytes": tf.memory().numBytes,
      ...(gpu && gpuStart && {
        "system/readbacks_per_step": (gpu.readbacks - gpuStart.readbacks) / pending.length,
        "system/dispatches_per_step": (gpu.dispatches - gpuStart.dispatches) / pending.length,
        "system/uploads_per_step": (gpu.uploads - gpuStart.uploads) / pending.length,
      }),
    });
    const epoch = Math.floor((step - 1) / stepsPerEpoch) + 1;
    progress.update(step, { label: `epoch ${epoch}/${loop.epochs}`, loss: means[keys[0]] });
    pending = [];
    startWindow();
  };

  const checkpoint = async () => {
    await flush();
    await run.checkpoint({ step, epoch: Math.floor(step / stepsPerEpoch), ...(await loop.checkpointState()) });
  };
  run.gracefulStop = "at the next log boundary";

  // Resumed from the final checkpoint of a run that stopped before writing its summary: the
  // evaluation that the summary reports is made again, from the checkpointed weights.
  if (step === totalSteps && step > 0) {
    const line = await loop.endOfEpoch(Math.ceil(step / stepsPerEpoch), step);
    progress.log(step, `evaluated again after the final checkpoint | ${line}`);
  }

  while (step < totalSteps) {
    const epoch = Math.floor(step / stepsPerEpoch);
    const order = new Rng(deriveSeed(loop.seed, `shuffle-${epoch}`)).permutation(loop.trainCount);
    for (let b = step % stepsPerEpoch; b < stepsPerEpoch && step < totalSteps; b++) {
      pending.push(loop.trainStep(order.subarray(b * batchSize, (b + 1) * batchSize), step));
      step++;
      if (step % logEvery === 0) await flush();
      await run.yieldToSignals();
      // At a log boundary, so the logged means cover the same steps as in an unstopped run; mid-epoch
      // only: at an epoch's end, its evaluation comes first (below).
      const stopHere = step % logEvery === 0 && step % stepsPerEpoch !== 0 && step < totalSteps;
      if (run.stopRequested && stopHere) {
        await checkpoint();
        await run.interrupt(step);
      }
      if (checkpointEvery && step % checkpointEvery === 0 && step % stepsPerEpoch !== 0 && step < totalSteps) {
        await checkpoint();
        startWindow();
      }
    }
    // A run capped by --max-steps still ends with an evaluation and a checkpoint.
    if (step % stepsPerEpoch === 0 || step === totalSteps) {
      await flush();
      const line = await loop.endOfEpoch(epoch + 1, step);
      await checkpoint();
      const means = Object.entries(epochSums).map(([k, v]) => `${k} ${(v / epochSteps).toFixed(3)}`).join(" | ");
      progress.log(step, `epoch ${epoch + 1}/${loop.epochs} | ${means} | ${line}`);
      for (const key of Object.keys(epochSums)) delete epochSums[key];
      epochSteps = 0;
      if (run.stopRequested && step < totalSteps) await run.interrupt(step);
      startWindow();
    }
  }
  progress.stop();
  const msPerStep = training.ms / Math.max(training.steps, 1);
  return { steps: step, msPerStep, samplesPerSecond: (1000 * batchSize) / msPerStep };
}
