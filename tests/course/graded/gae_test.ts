/** Graded tests of exercise gae: gae in lib/rl/returns.ts. */
import { gae } from "../../../lib/rl/returns.ts";
import { expectClose } from "./grading.ts";

Deno.test("gae - one step: the advantage is the TD error r + gamma V(s') - V(s)", () => {
  // delta = 1 + 0.9 * 2 - 0.5 = 2.3; the value target is 2.3 + 0.5
  const out = gae({ rewards: [1], values: [0.5], nextValues: [2], dones: [0] }, { gamma: 0.9, gaeLambda: 0.95 });
  expectClose("advantages for r 1, V 0.5, V' 2, gamma 0.9", out.advantages, [2.3]);
  expectClose("value targets (advantage + V)", out.returns, [2.8]);
});

Deno.test("gae - two steps by hand: A_0 = delta_0 + gamma lambda A_1", () => {
  // delta = [1 + 0.5 * 1 - 0.5, 0 + 0.5 * 4 - 1] = [1, 1]; A = [1 + 0.25 * 1, 1]
  const out = gae({ rewards: [1, 0], values: [0.5, 1], nextValues: [1, 4], dones: [0, 0] }, {
    gamma: 0.5,
    gaeLambda: 0.5,
  });
  expectClose("advantages for r [1, 0], V [0.5, 1], V' [1, 4], gamma 0.5, lambda 0.5", out.advantages, [1.25, 1]);
  expectClose("value targets (advantage + V)", out.returns, [1.75, 2]);
});

Deno.test("gae - a done stops advantages flowing back from the next episode", () => {
  // delta = [1 + 0 - 0.5, 2 + 0.9 - 0.5, 3 + 0.9 - 0.5] = [0.5, 2.4, 3.4]; A_1 = 2.4 + 0.72 * 3.4; A_0 = 0.5
  const out = gae({ rewards: [1, 2, 3], values: [0.5, 0.5, 0.5], nextValues: [0, 1, 1], dones: [1, 0, 0] }, {
    gamma: 0.9,
    gaeLambda: 0.8,
  });
  expectClose(
    "advantages for r [1, 2, 3], V 0.5, V' [0, 1, 1], done at step 0, gamma 0.9, lambda 0.8",
    out.advantages,
    [
      0.5,
      4.848,
      3.4,
    ],
  );
});

Deno.test("gae - lambda 0 gives the one-step TD errors", () => {
  const input = { rewards: [1, -1, 0.5], values: [0.2, 0.4, -0.1], nextValues: [0.4, -0.1, 0.3], dones: [0, 0, 0] };
  const out = gae(input, { gamma: 0.99, gaeLambda: 0 });
  expectClose("advantages with lambda 0, gamma 0.99", out.advantages, [1.196, -1.499, 0.897]);
  expectClose("value targets with lambda 0 (r + gamma V')", out.returns, [1.396, -1.099, 0.797]);
});

Deno.test("gae - lambda 1 to the episode's end gives the discounted return as the value target", () => {
  // returns of rewards [1, 1, 1], gamma 0.5, whatever the values: [1.75, 1.5, 1]
  const out = gae({ rewards: [1, 1, 1], values: [0.3, 0.2, 0.1], nextValues: [0.2, 0.1, 0], dones: [0, 0, 1] }, {
    gamma: 0.5,
    gaeLambda: 1,
  });
  expectClose("value targets with lambda 1, gamma 0.5", out.returns, [1.75, 1.5, 1]);
  expectClose("advantages with lambda 1 (return - V)", out.advantages, [1.45, 1.3, 0.9]);
});
