/**
 * The references the compare page draws: each lab's on its own run's steps, told apart by the lab's
 * name only when several labs are compared, one colour per curve over all labs.
 */
import assert from "node:assert/strict";
import { compareReferences, REFERENCE_COLORS } from "../../../web/client/reference_lines.ts";
import type { ReferenceCurve } from "../../../web/shared/reference_curves.ts";

function curve(patch: Partial<ReferenceCurve>): ReferenceCurve {
  return {
    id: "c",
    label: "a curve",
    kind: "outside",
    metric: "eval/mean_return",
    better: "higher",
    x: "env_steps",
    source: "by hand",
    points: [{ x: 1000, mean: 100, low: 80, high: 120 }, { x: 2000, mean: 200, low: 150, high: 250 }],
    ...patch,
  };
}

const dqn = curve({ label: "PyTorch" });
const vae = curve({ label: "PyTorch VAE", metric: "eval/nelbo", x: "epoch", points: [{ x: 1, mean: 110 }] });

Deno.test("compareReferences - one lab: labels as in its file, points at their env steps with their band", () => {
  const refs = compareReferences({ "dqn-cartpole": [dqn] });
  assert.deepEqual(refs.all.map((c) => c.label), ["PyTorch"]);
  assert.deepEqual(refs.forKey("eval/mean_return", () => undefined), [{
    label: "PyTorch",
    color: REFERENCE_COLORS[0],
    xs: [1000, 2000],
    mean: [100, 200],
    band: { low: [80, 150], high: [120, 250] },
  }]);
  assert.deepEqual(refs.forKey("eval/nelbo", () => undefined), [], "no curve of another key");
});

Deno.test("compareReferences - several labs: labels name the lab, colours differ, epochs placed by each lab's run", () => {
  const refs = compareReferences({ "dqn-cartpole": [dqn], "vae-mnist": [vae] });
  assert.deepEqual(refs.all.map((c) => c.label), ["dqn-cartpole: PyTorch", "vae-mnist: PyTorch VAE"]);
  const asked: string[] = [];
  const epochsOf = (lab: string) => {
    asked.push(lab);
    return lab === "vae-mnist" ? { step: [469, 938], value: [1, 2] } : undefined;
  };
  assert.deepEqual(refs.forKey("eval/nelbo", epochsOf), [
    { label: "vae-mnist: PyTorch VAE", color: REFERENCE_COLORS[1], xs: [469], mean: [110] },
  ]);
  assert.ok(asked.includes("vae-mnist"));
  assert.deepEqual(refs.forKey("eval/nelbo", () => undefined), [], "an epoch curve waits for the run's first epoch");
});
