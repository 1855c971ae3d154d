/**
 * Environment steps per second: CartPole-v1 alone (`make`) and eight copies stepped together
 * (`makeVec`, same-step autoreset), with uniformly random actions drawn before the clock starts,
 * so the figure is the env's own cost. bench/reference/env_steps_gymnasium.py times Gymnasium's
 * CartPole-v1 the same way, when python3 has gymnasium.
 */
import { make, makeVec } from "../environments/mod.ts";
import { Rng } from "../lib/rng.ts";

export const VECTOR_ENVS = 8;
const ACTIONS = 1 << 16; // pre-drawn actions, cycled

export interface EnvRow {
  name: string;
  description: string;
  stepsPerSecond: number;
}

function randomActions(): Int32Array {
  const rng = new Rng(1);
  return Int32Array.from({ length: ACTIONS }, () => rng.int(2));
}

/** Median over `repeats` of the env steps per second of `run(n)`, which takes n env steps. */
function timeSteps(run: (steps: number) => void, { repeats, seconds }: { repeats: number; seconds: number }) {
  run(10_000); // warm-up: lets V8 optimise the step
  let steps = 10_000;
  for (let t = 0; t < seconds / 4;) { // grow the repeat until it takes about `seconds`
    const start = performance.now();
    run(steps);
    t = (performance.now() - start) / 1000;
    if (t < seconds / 4) steps *= 2;
  }
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run(steps);
    rates.push(steps / ((performance.now() - start) / 1000));
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

function scalarCartPole(actions: Int32Array) {
  const env = make("CartPole-v1");
  env.reset({ seed: 1 });
  let a = 0;
  return (steps: number) => {
    for (let i = 0; i < steps; i++) {
      const { terminated, truncated } = env.step(actions[a++ & (ACTIONS - 1)]);
      if (terminated || truncated) env.reset();
    }
  };
}

function vectorCartPole(actions: Int32Array) {
  const envs = makeVec("CartPole-v1", { numEnvs: VECTOR_ENVS });
  envs.reset({ seed: 1 });
  let a = 0;
  return (steps: number) => {
    for (let i = 0; i < steps; i += VECTOR_ENVS) {
      envs.step(actions.subarray(a, a + VECTOR_ENVS));
      a = (a + VECTOR_ENVS) & (ACTIONS - 1);
    }
  };
}

export function benchEnvSteps(options: { repeats: number; seconds: number }): EnvRow[] {
  const actions = randomActions();
  return [
    {
      name: "cartpole",
      description: "CartPole-v1, one env, random actions",
      stepsPerSecond: timeSteps(scalarCartPole(actions), options),
    },
    {
      name: `cartpole_vec${VECTOR_ENVS}`,
      description: `CartPole-v1, ${VECTOR_ENVS} envs stepped together (env steps, not batch steps)`,
      stepsPerSecond: timeSteps(vectorCartPole(actions), options),
    },
  ];
}
