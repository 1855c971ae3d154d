/**
 * `evaluatePolicy`'s evaluation with the episodes stepped side by side: episode e is seeded
 * seed + e as there, so the returns are the same, but a tfjs policy runs one forward pass per
 * time step over all episodes still running instead of one per episode per step (100 CartPole
 * episodes: 500 passes instead of up to 50,000).
 */
import { Box, type Env } from "../../environments/mod.ts";
import type { EpisodeRecord } from "../run/types.ts";
import type { Evaluation } from "./evaluate.ts";

/**
 * Acts for a batch: `obs` holds `rows` observations of `obsSize` numbers, row after row; the
 * answer holds one action per row, `actionSize` numbers each (one index for Discrete), or a promise of
 * it: a tfjs policy reads its actions back with `await data()`, as WebGPU has no `dataSync()`.
 */
export type BatchedPolicy = (obs: Float32Array, rows: number) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * `makeEnv` builds one copy per episode (e.g. `() => make("CartPole-v1")`); observations are
 * vectors. The answer's `first` is episode 0 as recordEpisode records one (render states and
 * rewards), for the dashboard's replay: one of the evaluated episodes rather than one more.
 */
export async function evaluateBatched<A extends number | ArrayLike<number>>(
  makeEnv: () => Env<Float32Array, A>,
  policy: BatchedPolicy,
  { episodes, seed }: { episodes: number; seed: number },
): Promise<Evaluation & { first: EpisodeRecord }> {
  if (!(Number.isInteger(episodes) && episodes > 0)) {
    throw new Error(`evaluateBatched: episodes must be a positive integer, got ${episodes}`);
  }
  const envs = Array.from({ length: episodes }, makeEnv);
  const obsSize = (envs[0].observationSpace as Box).size;
  const space = envs[0].actionSpace;
  const actionSize = space instanceof Box ? space.size : 1;
  const current = envs.map((env, e) => env.reset({ seed: seed + e }).obs);
  const first: EpisodeRecord = { env: envs[0].id, fps: envs[0].metadata.renderFps, frames: [], rewards: [] };
  first.frames.push(envs[0].renderState());
  const returns = new Array<number>(episodes).fill(0);
  const lengths = new Array<number>(episodes).fill(0);
  let running = envs.map((_, e) => e);
  while (running.length) {
    const batch = new Float32Array(running.length * obsSize);
    running.forEach((e, row) => batch.set(current[e], row * obsSize));
    const actions = await policy(batch, running.length);
    if (actions.length !== running.length * actionSize) {
      throw new Error(`evaluateBatched: the policy gave ${actions.length} numbers for ${running.length} rows`);
    }
    running = running.filter((e, row) => {
      const action = space instanceof Box
        ? Array.prototype.slice.call(actions, row * actionSize, (row + 1) * actionSize)
        : actions[row];
      const step = envs[e].step(action as A);
      if (e === 0) {
        first.frames.push(envs[0].renderState());
        first.rewards.push(step.reward);
      }
      returns[e] += step.reward;
      lengths[e]++;
      current[e] = step.obs;
      return !(step.terminated || step.truncated);
    });
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes);
  return { mean, std, returns, lengths, first };
}
