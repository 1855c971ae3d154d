/** Graded tests of exercise discounted-return: discountedReturns in lib/rl/returns.ts. */
import { discountedReturns } from "../../../lib/rl/returns.ts";
import { expectClose, expectTrue } from "./grading.ts";

Deno.test("discounted-return - a worked example: rewards [1, 2, 3], gamma 0.5", () => {
  // G_2 = 3, G_1 = 2 + 0.5 * 3 = 3.5, G_0 = 1 + 0.5 * 3.5 = 2.75
  expectClose("rewards [1, 2, 3], no done, gamma 0.5", discountedReturns([1, 2, 3], [0, 0, 0], 0.5), [2.75, 3.5, 3]);
});

Deno.test("discounted-return - gamma 0 gives the rewards, gamma 1 the sums of what is left", () => {
  expectClose("rewards [1, -2, 3], gamma 0", discountedReturns([1, -2, 3], [0, 0, 0], 0), [1, -2, 3]);
  expectClose("rewards [1, -2, 3], gamma 1", discountedReturns([1, -2, 3], [0, 0, 0], 1), [2, 1, 3]);
});

Deno.test("discounted-return - ten rewards of 1 sum a geometric series", () => {
  // G_t = 1 + 0.9 + ... + 0.9^(9 - t) = (1 - 0.9^(10 - t)) / (1 - 0.9)
  const expected = Array.from({ length: 10 }, (_, t) => (1 - 0.9 ** (10 - t)) / 0.1);
  expectClose(
    "ten rewards of 1, gamma 0.9",
    discountedReturns(new Array(10).fill(1), new Array(10).fill(0), 0.9),
    expected,
  );
});

Deno.test("discounted-return - a done ends the episode: nothing after it counts", () => {
  // episodes [1, 1] and [1, 1]: G = [1 + 0.5, 1] twice
  expectClose("rewards [1, 1, 1, 1], done at step 1, gamma 0.5", discountedReturns([1, 1, 1, 1], [0, 1, 0, 0], 0.5), [
    1.5,
    1,
    1.5,
    1,
  ]);
  expectClose("rewards [2, 4, 8], done at steps 0 and 2, gamma 0.5", discountedReturns([2, 4, 8], [1, 0, 1], 0.5), [
    2,
    8,
    8,
  ]);
});

Deno.test("discounted-return - returns a Float32Array as long as the rewards", () => {
  const out = discountedReturns([0.5, 0.25], [0, 1], 0.9);
  expectTrue(out instanceof Float32Array, `expected a Float32Array, got ${out?.constructor?.name}`);
  expectTrue(discountedReturns([], [], 0.9).length === 0, "an empty rollout should give an empty array");
});
