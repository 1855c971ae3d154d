import assert from "node:assert/strict";
import { perStep, vaeLabTable } from "../../bench/vae_lab_step.ts";

Deno.test("vae_lab_step - a side's time per step is the difference of its two runs over the 400 steps between", () => {
  const short = { wallSeconds: 3.0, cpuSeconds: 3.5, stdout: "" };
  const long = { wallSeconds: 8.0, cpuSeconds: 9.5, stdout: "" };
  assert.deepEqual(perStep(short, long), { wallMs: 12.5, cpuMs: 15 });
});

Deno.test("vae_lab_step - the table gives each round's ratios, then the medians and the range of the rounds' ratios", () => {
  const lines = vaeLabTable([
    { first: "tflab", tflab: { wallMs: 12, cpuMs: 13 }, pytorch: { wallMs: 10, cpuMs: 13 } },
    { first: "pytorch", tflab: { wallMs: 11, cpuMs: 12 }, pytorch: { wallMs: 11, cpuMs: 10 } },
    { first: "tflab", tflab: { wallMs: 9, cpuMs: 10 }, pytorch: { wallMs: 10, cpuMs: 10 } },
  ]);
  assert.deepEqual(lines[1], ["1", "tflab", "12.00", "10.00", "1.20x", "13.00", "13.00", "1.00x"]);
  assert.deepEqual(lines[2], ["2", "pytorch", "11.00", "11.00", "1.00x", "12.00", "10.00", "1.20x"]);
  // medians of each column, and the median of the rounds' own ratios (1.2, 1.0, 0.9 -> 1.0; not 11 / 10)
  assert.deepEqual(lines[4], ["median", "", "11.00", "10.00", "1.00x", "12.00", "10.00", "1.00x"]);
  assert.deepEqual(lines[5], ["range", "", "", "", "0.90-1.20x", "", "", "1.00-1.20x"]);
});
