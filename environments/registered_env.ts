/**
 * The env as `make` returns it: the registered env inside Gymnasium's `TimeLimit` and
 * `OrderEnforcing` wrappers (gymnasium/wrappers/common.py), folded into one. The time limit sets
 * `truncated` once `maxEpisodeSteps` steps have elapsed since reset; order enforcing makes
 * `step()` before `reset()`, or after an episode ended, a clear error (Gymnasium only warns about
 * the latter and calls it undefined behaviour).
 */
import type { Env, EnvMetadata, EnvSpec, RenderState, ResetArgs, ResetResult, SpaceOf, StepResult } from "./core.ts";
import type { Rng } from "../lib/rng.ts";

export interface RegisteredSpec extends EnvSpec {
  /** The options the env was made with (the registry's and the caller's). */
  readonly kwargs: Readonly<Record<string, unknown>>;
}

export class RegisteredEnv<O, A, R extends RenderState = RenderState> implements Env<O, A, R> {
  readonly spec: RegisteredSpec;
  /** The env without the time limit and order checks (Gymnasium's `env.unwrapped`). */
  readonly unwrapped: Env<O, A, R>;
  private steps = 0;
  /** Why the next step needs a reset first, or null while an episode runs. */
  private ended: string | null = "no episode has started";

  constructor(env: Env<O, A, R>, spec: RegisteredSpec) {
    this.unwrapped = env;
    this.spec = spec;
  }

  get id(): string {
    return this.spec.id;
  }

  get actionSpace(): SpaceOf<A> {
    return this.unwrapped.actionSpace;
  }

  get observationSpace(): SpaceOf<O> {
    return this.unwrapped.observationSpace;
  }

  get metadata(): EnvMetadata {
    return this.unwrapped.metadata;
  }

  get rng(): Rng {
    return this.unwrapped.rng;
  }

  /** Steps taken since the last reset. */
  get elapsedSteps(): number {
    return this.steps;
  }

  reset(args: ResetArgs = {}): ResetResult<O> {
    const result = this.unwrapped.reset(args);
    this.steps = 0;
    this.ended = null;
    return result;
  }

  step(action: A): StepResult<O> {
    if (this.ended !== null) {
      throw new Error(`${this.id}: step() called but ${this.ended}; call reset() first`);
    }
    const result = this.unwrapped.step(action);
    this.steps += 1;
    const limit = this.spec.maxEpisodeSteps;
    if (limit !== null && this.steps >= limit) result.truncated = true;
    if (result.terminated) this.ended = `the episode terminated at step ${this.steps}`;
    else if (result.truncated) this.ended = `the episode was truncated at step ${this.steps} (time limit ${limit})`;
    return result;
  }

  renderState(): R {
    return this.unwrapped.renderState();
  }
}
