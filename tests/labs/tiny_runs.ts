/**
 * The smallest run of every registered lab that still trains (TINY), and what it logs while
 * training: tests/labs/every_backend_test.ts runs each on every backend, and
 * tests/labs/guides_test.ts reads the event keys they log.
 */
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
  // The denoising variant logs eval/mse_denoised too; wasm only, as the plain run covers the backends.
  "ae-mnist --noise 0.5": {
    lab: "ae-mnist",
    flags: [...EPOCH, "--width", "4", "--latent", "8", "--eval-images", "20", "--noise", "0.5"],
    lossKeys: ["train/loss"],
    setUp: fashion,
    backends: ["wasm"],
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
  // The default label counts, so the guide's keys (transfer/gain_100 ...) are logged; wasm only.
  "transfer-mnist --labels-per-class 10,100,1000": {
    lab: "transfer-mnist",
    flags: [
      ...["--max-steps", "6", "--log-every", "3", "--batch-size", "8", "--filters", "2", "--hidden", "8"],
      ...["--eval-images", "20", "--pretrain-epochs", "1", "--cell-steps", "3"],
    ],
    lossKeys: ["train/loss", "train/cell_loss"],
    tensorsFrom: 12,
    changes: "loss",
    backends: ["wasm"],
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
