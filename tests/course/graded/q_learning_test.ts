/** Graded tests of exercise q-learning: QTable.update in lib/rl/q_table.ts. */
import { make } from "../../../environments/mod.ts";
import { QTable } from "../../../lib/rl/q_table.ts";
import { Rng } from "../../../lib/rng.ts";
import { expectClose, expectTrue, show } from "./grading.ts";

/** Q(0, 1) = 0.5, Q(1, .) = [4, 2], as in the worked example of the doc comment. */
function table(): QTable {
  const q = new QTable(2, 2);
  q.values.set([0, 0.5, 4, 2]);
  return q;
}
const step = { state: 0, action: 1, reward: 1, nextState: 1, terminated: false };
const rates = { alpha: 0.1, gamma: 0.9 };

Deno.test("q-learning - a worked example: the target bootstraps from max_a' Q(s', a')", () => {
  const q = table();
  const tdError = q.update(step, rates); // target 1 + 0.9 * 4 = 4.6
  expectClose("TD error for Q(s, a) 0.5, r 1, max Q(s') 4, gamma 0.9", tdError, 4.1);
  expectClose("Q(s, a) after the update, alpha 0.1", q.get(0, 1), 0.91);
  expectClose("the other entries of the table", [q.get(0, 0), q.get(1, 0), q.get(1, 1)], [0, 4, 2]);
});

Deno.test("q-learning - SARSA: with nextAction the target bootstraps from Q(s', a')", () => {
  const q = table();
  const tdError = q.update({ ...step, nextAction: 1 }, rates); // target 1 + 0.9 * 2 = 2.8
  expectClose("TD error for nextAction 1, Q(s', 1) 2", tdError, 2.3);
  expectClose("Q(s, a) after the SARSA update", q.get(0, 1), 0.73);
});

Deno.test("q-learning - a terminal s' has no bootstrap", () => {
  const q = table();
  expectClose("TD error when s' is terminal (target r = 1)", q.update({ ...step, terminated: true }, rates), 0.5);
  expectClose("Q(s, a) after a terminal update", q.get(0, 1), 0.55);
  const sarsa = table();
  sarsa.update({ ...step, terminated: true, nextAction: 1 }, rates);
  expectClose("Q(s, a) after a terminal SARSA update", sarsa.get(0, 1), 0.55);
});

Deno.test("q-learning - 300 episodes of CliffWalking learn the shortest path along the cliff (13 steps)", () => {
  const env = make("CliffWalking-v1", { maxEpisodeSteps: 500 });
  const q = new QTable(48, 4);
  const rng = new Rng(1);
  for (let episode = 0; episode < 300; episode++) {
    let { obs: state } = env.reset({ seed: episode });
    for (let done = false; !done;) {
      const action = q.epsilonGreedy(state, 0.1, rng);
      const { obs, reward, terminated, truncated } = env.step(action);
      q.update({ state, action, reward, nextState: obs, terminated }, { alpha: 0.5, gamma: 1 });
      [state, done] = [obs, terminated || truncated];
    }
  }
  let { obs: state } = env.reset({ seed: 0 });
  let total = 0;
  for (let t = 0, done = false; t < 100 && !done; t++) {
    const { obs, reward, terminated } = env.step(q.greedy(state, rng));
    [state, total, done] = [obs, total + reward, terminated];
  }
  expectTrue(
    total === -13,
    `after training, the greedy policy's return was ${show(total)}, expected -13 (the optimal path)`,
  );
});
