/**
 * Evaluating a policy the way the references report it: the mean and standard deviation of the
 * undiscounted return over N episodes (Stable-Baselines3's evaluate_policy, CleanRL's eval), and
 * recording one episode's render states for the dashboard's replay.
 */
import type { Env } from "../../environments/core.ts";
import type { EpisodeRecord } from "../run/types.ts";

export type Policy<O, A> = (obs: O) => A;
/** A policy that may read its answer back from the GPU: WebGPU has no synchronous read-back. */
export type AsyncPolicy<O, A> = (obs: O) => A | Promise<A>;

export interface Evaluation {
  mean: number;
  std: number;
  returns: number[];
  lengths: number[];
}

/** Runs `episodes` episodes, seeded seed, seed + 1, ...; each ends when terminated or truncated. */
export function evaluatePolicy<O, A>(
  env: Env<O, A>,
  policy: Policy<O, A>,
  { episodes, seed }: { episodes: number; seed: number },
): Evaluation {
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let { obs } = env.reset({ seed: seed + e });
    let total = 0, length = 0, done = false;
    while (!done) {
      const step = env.step(policy(obs));
      total += step.reward;
      length++;
      obs = step.obs;
      done = step.terminated || step.truncated;
    }
    returns.push(total);
    lengths.push(length);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes);
  return { mean, std, returns, lengths };
}

/** One episode's render state after reset and after every step, with its rewards and the env's frame rate. */
export async function recordEpisode<O, A>(
  env: Env<O, A>,
  policy: AsyncPolicy<O, A>,
  seed: number,
): Promise<EpisodeRecord> {
  let { obs } = env.reset({ seed });
  const frames: unknown[] = [env.renderState()];
  const rewards: number[] = [];
  for (let done = false; !done;) {
    const step = env.step(await policy(obs));
    frames.push(env.renderState());
    rewards.push(step.reward);
    obs = step.obs;
    done = step.terminated || step.truncated;
  }
  return { env: env.id, fps: env.metadata.renderFps, frames, rewards };
}
