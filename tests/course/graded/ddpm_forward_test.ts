/** Graded tests of exercise ddpm-forward: qSample in lib/diffusion/sampling.ts. */
import { linearSchedule } from "../../../lib/diffusion/schedule.ts";
import { qSample } from "../../../lib/diffusion/sampling.ts";
import { tf } from "../../../lib/tf.ts";
import { expectClose, expectTrue } from "./grading.ts";

await tf.setBackend("cpu");

const schedule = linearSchedule(); // T = 1000, beta from 1e-4 to 0.02
const abar = (t: number) => schedule.alphaBars[t];

/** x_t for images x0 [B, 2, 2, 1] (given flat), steps t [B] and noise eps (flat). */
function noised(x0: number[], t: number[], eps: number[]): { values: number[]; shape: number[] } {
  return tf.tidy(() => {
    const shape = [t.length, 2, 2, 1];
    const xt = qSample(schedule, tf.tensor(x0, shape), { t: tf.tensor1d(t, "int32"), eps: tf.tensor(eps, shape) });
    return { values: Array.from(xt.dataSync()), shape: xt.shape };
  });
}

Deno.test("ddpm-forward - keeps x0's shape", () => {
  const { shape } = noised([0, 0, 0, 0, 0, 0, 0, 0], [0, 999], [0, 0, 0, 0, 0, 0, 0, 0]);
  expectTrue(shape.join() === "2,2,2,1", `x0 [2, 2, 2, 1]: expected x_t of shape [2, 2, 2, 1], got [${shape}]`);
});

Deno.test("ddpm-forward - without noise, x_t is x0 scaled by sqrt(alpha-bar_t)", () => {
  const x0 = [1, -1, 0.5, 0.25];
  for (const t of [0, 100, 999]) {
    const { values } = noised(x0, [t], [0, 0, 0, 0]);
    expectClose(`x0 ${JSON.stringify(x0)}, eps 0, t ${t}`, values, x0.map((x) => Math.sqrt(abar(t)) * x));
  }
});

Deno.test("ddpm-forward - from a zero image, x_t is the noise scaled by sqrt(1 - alpha-bar_t)", () => {
  const eps = [1, -2, 0.5, 3];
  for (const t of [0, 500, 999]) {
    const { values } = noised([0, 0, 0, 0], [t], eps);
    expectClose(`x0 0, eps ${JSON.stringify(eps)}, t ${t}`, values, eps.map((e) => Math.sqrt(1 - abar(t)) * e));
  }
});

Deno.test("ddpm-forward - each example is noised to its own step", () => {
  const x0 = [1, 1, 1, 1, 1, 1, 1, 1], eps = [1, 1, 1, 1, -1, -1, -1, -1];
  const { values } = noised(x0, [10, 700], eps);
  const expected = [
    ...[0, 1, 2, 3].map(() => Math.sqrt(abar(10)) + Math.sqrt(1 - abar(10))),
    ...[0, 1, 2, 3].map(() => Math.sqrt(abar(700)) - Math.sqrt(1 - abar(700))),
  ];
  expectClose("x0 1, t [10, 700], eps +1 then -1", values, expected);
});
