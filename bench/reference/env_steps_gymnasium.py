"""Gymnasium side of `deno task bench`'s environment figures: CartPole-v1 env steps per second,
one env (`gymnasium.make`) and 8 envs stepped together, both as `SyncVectorEnv` (a loop over
copies, as the project's VectorEnv) and as Gymnasium's numpy-vectorised CartPoleVectorEnv.
Random actions are drawn before the clock starts; median over repeats, warm-up excluded.

usage: python3 env_steps_gymnasium.py REPEATS SECONDS      prints one JSON object per figure
"""
import json, statistics, sys, time
import numpy as np
import gymnasium as gym

repeats, seconds = int(sys.argv[1]), float(sys.argv[2])
VECTOR_ENVS = 8
actions = np.random.default_rng(1).integers(0, 2, size=1 << 16)


def scalar():
    env = gym.make("CartPole-v1")
    env.reset(seed=1)
    state = {"a": 0}

    def run(steps):
        a = state["a"]
        for _ in range(steps):
            _, _, terminated, truncated, _ = env.step(int(actions[a & 0xFFFF]))
            a += 1
            if terminated or truncated:
                env.reset()
        state["a"] = a
    return run


def vector(mode):
    envs = gym.make_vec("CartPole-v1", num_envs=VECTOR_ENVS, vectorization_mode=mode)
    envs.reset(seed=1)
    state = {"a": 0}

    def run(steps):
        a = state["a"]
        for _ in range(0, steps, VECTOR_ENVS):
            envs.step(actions[a:a + VECTOR_ENVS])
            a = (a + VECTOR_ENVS) & 0xFFFF
        state["a"] = a
    return run


def steps_per_second(run):
    run(10_000)
    steps = 10_000
    while True:
        t0 = time.perf_counter()
        run(steps)
        if time.perf_counter() - t0 >= seconds / 4:
            break
        steps *= 2
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(steps)
        rates.append(steps / (time.perf_counter() - t0))
    return statistics.median(rates)


for name, build in [("cartpole", scalar), (f"cartpole_vec{VECTOR_ENVS}", lambda: vector("sync")),
                    (f"cartpole_vec{VECTOR_ENVS}_numpy", lambda: vector("vector_entry_point"))]:
    print(json.dumps({"env": name, "steps_per_second": round(steps_per_second(build())), "gymnasium": gym.__version__}),
          flush=True)
