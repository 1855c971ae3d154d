/**
 * diffusion-mnist: a denoising diffusion probabilistic model (Ho, Jain and Abbeel, 2020) on MNIST,
 * after the Keras DDPM example (keras.io/examples/generative/ddpm): T = 1000 steps with beta rising
 * linearly from 1e-4 to 0.02, a U-Net (lib/models/unet.ts) trained to predict the noise eps with
 * a mean squared error at a uniformly drawn step, Adam, and an exponential moving average of the
 * weights that the samples are drawn with. Images are scaled to [-1, 1].
 *
 * Sampling runs the full ancestral DDPM chain when --sample-steps is T, and DDIM (Song et al.,
 * 2021) with --eta over that many evenly spaced steps when fewer (the default: 50, so evaluating
 * after every epoch stays affordable on a CPU). After every epoch: a strip of the denoising
 * trajectory x_T -> x_0, a sample grid, and FID-MNIST, class entropy (target >= 2.2 of
 * ln 10 = 2.303) and mean confidence (target >= 0.9) of --sample-count samples through the
 * project's MNIST classifier (lib/sample_quality.ts), all from the same fixed x_T every epoch.
 *
 * 8 epochs by default: the first at which the samples' confidence passed 0.9 (seed 1, see
 * docs/generative_results.md).
 *
 *   deno task lab diffusion-mnist [--epochs 8] [--width 16] [--sample-steps 50] [--eta 0] [--max-steps N] ...
 */
import { loadMnist, type Mnist, MNIST_DATA_FLAG, mnistBatch } from "../lib/data/mnist.ts";
import { diffusionTrainStep } from "../lib/diffusion/loss.ts";
import { sample } from "../lib/diffusion/sampling.ts";
import { linearSchedule, type NoiseSchedule } from "../lib/diffusion/schedule.ts";
import { Ema } from "../lib/ema.ts";
import { epochFlags, planSteps, runEpochs } from "../trainers/epoch_loop.ts";
import { UsageError } from "../lib/errors.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { imageGridPng } from "../lib/image_grid.ts";
import { type Lab, openRun, startLab, withRun } from "../runner/lab.ts";
import { buildUnet, parameterCount, predictNoise, type Unet, type UnetWeights } from "../lib/models/unet.ts";
import { deriveSeed, Rng } from "../lib/rng.ts";
import {
  qualityLine,
  qualityScalars,
  qualitySummary,
  sampleQuality,
  UNMEASURED,
  YARDSTICK_FLAGS,
  yardstickFor,
} from "../lib/sample_quality.ts";
import { tf } from "../lib/tf.ts";
import { captureTraining, restoreTraining, type Training } from "../lib/train_state.ts";
import { adam, PYTORCH_ADAM } from "../lib/adam.ts";

const T = 1000;

const spec = {
  ...epochFlags({ epochs: 8, checkpointEvery: 200 }),
  batchSize: { type: "int", default: 64, min: 2, max: 60000, help: "images per step" },
  lr: {
    type: "float",
    default: 1e-3,
    min: 0,
    max: 1,
    help: "Adam learning rate (Keras example: 2e-4 for a much longer run)",
  },
  width: { type: "int", default: 16, min: 2, max: 256, help: "U-Net channels at 28x28 (2x at 14x14 and 7x7); even" },
  emaDecay: {
    type: "float",
    default: 0.999,
    min: 0,
    max: 0.99999,
    help: "decay of the weight average samples are drawn with (warmed up as (1+n)/(10+n))",
  },
  sampleSteps: {
    type: "int",
    default: 50,
    min: 1,
    max: T,
    help: `sampler steps: ${T} runs the full DDPM chain, fewer runs DDIM over evenly spaced steps`,
  },
  eta: { type: "float", default: 0, min: 0, max: 1, help: "DDIM's eta: 0 deterministic, 1 DDPM-like noise" },
  sampleCount: {
    type: "int",
    default: 1000,
    min: 0,
    max: 60000,
    help: "generated samples the yardstick classifier measures after every epoch (0: no sample metrics)",
  },
  sampleBatch: { type: "int", default: 250, min: 1, max: 10000, help: "images denoised together when sampling" },
  ...MNIST_DATA_FLAG,
  ...YARDSTICK_FLAGS,
} as const;

export const lab: Lab<typeof spec> = {
  id: "diffusion-mnist",
  title: "DDPM on MNIST",
  description:
    "Ho et al. (2020) after the Keras DDPM example: T = 1000, linear betas 1e-4..0.02, eps-prediction U-Net,\n" +
    "EMA weights; DDPM or DDIM sampling (--sample-steps, --eta). Logs the denoising trajectory, a sample grid,\n" +
    "and FID-MNIST, class entropy and mean confidence every epoch (targets: entropy >= 2.2, confidence >= 0.9).",
  spec,
  headline: "eval/fid_mnist",
  better: "lower",
};

const GRID_SIDE = 8;
const TRAJECTORY = { rows: 4, frames: 10 };

/** The training images at `indices` as [B, 28, 28, 1] in [-1, 1]. */
const realBatch = (mnist: Mnist, indices: ArrayLike<number>) =>
  tf.tidy(() => tf.sub(tf.mul(tf.reshape(mnistBatch(mnist.train, indices), [-1, 28, 28, 1]), 2), 1));

/** The default U-Net of this lab (spec defaults) and one training step on `x0`: the benchmark's DDPM workload. */
export function defaultTrainStep(rng: Rng) {
  const unet = buildUnet({ width: spec.width.default, rng });
  const optimizer = adam(spec.lr.default, PYTORCH_ADAM);
  const schedule = linearSchedule({ steps: T });
  return {
    unet,
    step(x0: tf.Tensor, seed: number): tf.Scalar {
      const batch = x0.shape[0];
      return tf.tidy(() => {
        const t = tf.randomUniform([batch], 0, T, "int32", seed);
        const eps = tf.randomNormal(x0.shape, 0, 1, "float32", seed + 1);
        return diffusionTrainStep(unet, optimizer, { schedule, x0, t, eps });
      });
    },
    dispose: () => {
      tf.dispose(Object.values(unet.weights));
      optimizer.dispose();
    },
  };
}

interface Drawn {
  /** [count, 784] in [0, 1] */
  pixels: Float32Array;
  /** the first batch's first TRAJECTORY.rows samples, TRAJECTORY.frames frames each, row by row, in [0, 1] */
  trajectory: Float32Array;
}

/**
 * `count` samples from fixed x_T (seeded by `seed`, batch by batch), drawn by the EMA weights with
 * the configured sampler, mapped from [-1, 1] to [0, 1].
 */
async function drawSamples(
  unet: Unet,
  weights: UnetWeights,
  schedule: NoiseSchedule,
  options: { count: number; batch: number; steps: number; eta: number; seed: number },
): Promise<Drawn> {
  const { count, batch, steps, eta, seed } = options;
  const pixels = new Float32Array(count * 784);
  const trajectory = new Float32Array(TRAJECTORY.rows * TRAJECTORY.frames * 784);
  const rng = new Rng(deriveSeed(seed, "sampler"));
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const xT = tf.randomNormal([n, 28, 28, 1], 0, 1, "float32", deriveSeed(seed, `x_T-${start}`)); // [n, 28, 28, 1]
    const predict = (x: tf.Tensor, t: number) =>
      tf.tidy(() => predictNoise(unet, weights, x, tf.fill([x.shape[0]], t, "int32")));
    const record = start === 0 ? TRAJECTORY.frames : 0;
    const drawn = sample(schedule, { predictNoise: predict, xT, steps, eta, rng, record });
    const toUnit = (x: tf.Tensor) => tf.tidy(() => tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1));
    const images = toUnit(drawn.x0);
    pixels.set(await images.data() as Float32Array, start * 784);
    for (const [frame, x] of drawn.trajectory.entries()) {
      const unitTensor = toUnit(x); // [n, 28, 28, 1]
      const unit = await unitTensor.data();
      unitTensor.dispose();
      for (let row = 0; row < Math.min(TRAJECTORY.rows, n); row++) {
        trajectory.set(unit.subarray(row * 784, (row + 1) * 784), (row * TRAJECTORY.frames + frame) * 784);
      }
    }
    tf.dispose([xT, images, drawn.x0, ...drawn.trajectory]);
  }
  return { pixels, trajectory };
}

export async function main(args: string[]): Promise<void> {
  const start = await startLab(lab, args);
  if (!start) return;
  const { config, resumeFrom } = start;
  if (config.width % 2) {
    throw new UsageError(`--width must be even (the time embedding is sin and cos halves), got ${config.width}`);
  }

  // ---- data and the yardstick: checked before anything is written
  const mnist = await loadMnist(config.dataDir || undefined);
  const yardstick = await yardstickFor(config, mnist);
  const { stepsPerEpoch, totalSteps } = planSteps({ ...config, trainCount: mnist.train.count });
  const schedule = linearSchedule({ steps: T, betaStart: 1e-4, betaEnd: 0.02 });
  const sampler = config.sampleSteps === T
    ? "DDPM (full chain)"
    : `DDIM ${config.sampleSteps} steps, eta ${config.eta}`;

  // ---- the U-Net, its EMA and Adam (restored from the checkpoint when resuming)
  const unet = buildUnet({ width: config.width, rng: new Rng(deriveSeed(config.seed, "init")) });
  const ema = new Ema(unet.weights, { decay: config.emaDecay, warmup: true });
  const optimizer = adam(config.lr, PYTORCH_ADAM);
  const noise = new Rng(deriveSeed(config.seed, "noise")); // t and eps of every training step
  const training: Training = {
    tensors: { model: { variables: unet.weights }, ema: { variables: ema.weights }, optimizer: { adam: optimizer } },
    rngs: { noise },
  };
  if (resumeFrom) await restoreTraining(training, resumeFrom.checkpoint);
  const startStep = resumeFrom?.checkpoint.step ?? 0;
  console.error(`U-Net width ${config.width}: ${parameterCount(unet)} parameters; sampling by ${sampler}`);

  const run = await openRun(lab, start, { totalSteps });
  const startedAt = performance.now();
  let last = UNMEASURED;
  let sampleSeconds = 0;
  const summary = await withRun(run, async () => {
    // ---- training: noise a batch to random steps, regress the noise, then move the average
    const result = await runEpochs({
      ...config,
      run,
      trainCount: mnist.train.count,
      startStep,
      trainStep(indices, step) {
        // #region ddpm-train-step
        const x0 = realBatch(mnist, indices); // [B, 28, 28, 1]
        const t = tf.tensor1d(Int32Array.from(indices, () => noise.int(T)), "int32"); // [B]
        const eps = tf.randomNormal(x0.shape, 0, 1, "float32", noise.nextUint32()); // [B, 28, 28, 1]
        const loss = diffusionTrainStep(unet, optimizer, { schedule, x0, t, eps });
        ema.update(step);
        // #endregion
        tf.dispose([x0, t, eps]);
        return { "train/loss": loss };
      },
      async endOfEpoch(epoch, step) {
        // ---- trajectory strip, sample grid and sample metrics, from the same x_T every epoch
        const sampleStart = performance.now();
        const count = Math.max(config.sampleCount, GRID_SIDE * GRID_SIDE);
        const drawn = await drawSamples(unet, ema.weights, schedule, {
          count,
          batch: config.sampleBatch,
          steps: config.sampleSteps,
          eta: config.eta,
          seed: config.seed,
        });
        const tile = { height: 28, width: 28 };
        await run.image(
          step,
          "samples/trajectory",
          imageGridPng(drawn.trajectory, { columns: TRAJECTORY.frames, ...tile }),
        );
        const grid = drawn.pixels.subarray(0, GRID_SIDE * GRID_SIDE * 784);
        await run.image(step, "samples/grid", imageGridPng(grid, { columns: GRID_SIDE, ...tile }));
        let line = `${sampler}: no sample metrics (--sample-count 0)`;
        if (yardstick) {
          const images = drawn.pixels.subarray(0, config.sampleCount * 784);
          last = await sampleQuality(yardstick.classifier, images, yardstick.reference);
          line = qualityLine(last);
        }
        const seconds = (performance.now() - sampleStart) / 1000;
        sampleSeconds += seconds;
        run.scalars(step, {
          ...(yardstick && qualityScalars(last)),
          "eval/seconds": seconds,
          epoch,
        });
        return `${line} | ${seconds.toFixed(0)} s to sample and measure`;
      },
      checkpointState: () => captureTraining(training),
    });

    // ---- summary
    const summary = {
      lab: lab.id,
      steps: result.steps,
      epochs: result.steps / stepsPerEpoch,
      parameters: parameterCount(unet),
      sampler,
      sampleCount: config.sampleCount,
      ...qualitySummary(last, yardstick, config.referenceImages),
      floor: `FID-MNIST of ${config.referenceImages} training images against as many test images (real vs real)`,
      target: { "eval/class_entropy": 2.2, "eval/mean_confidence": 0.9 },
      reference: "Keras DDPM example (keras.io/examples/generative/ddpm); here a smaller U-Net, see lib/models/unet.ts",
      backend: start.backend.name,
      "system/ms_per_step": result.msPerStep,
      "system/samples_per_second": result.samplesPerSecond,
      sampleSeconds,
      wallSeconds: (performance.now() - startedAt) / 1000,
    };
    await run.finish(result.steps, summary);
    return summary;
  });
  ema.dispose();
  tf.dispose(Object.values(unet.weights));
  optimizer.dispose();
  console.error(
    `finished: ${qualityLine(last, { separator: ", ", floor: yardstick?.floor ?? NaN })} after ${summary.steps} steps` +
      ` -> ${run.dir}`,
  );
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
