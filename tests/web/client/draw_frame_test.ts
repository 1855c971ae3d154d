/**
 * The replay's drawer is looked up by the episode's env id: every registered env's frames draw,
 * the ids with a drawer draw pictures, and any other id still replays, as its state in text.
 */
import assert from "node:assert/strict";
import { type EnvId, envIds, make } from "../../../environments/mod.ts";
import { drawFrame } from "../../../web/client/replay/draw_frame.ts";

/** A canvas context (Deno has none) that records the methods called on it. */
function recordingContext() {
  const calls: { method: string; args: unknown[] }[] = [];
  const ctx = new Proxy({}, {
    get: (_, method) => (...args: unknown[]) => void calls.push({ method: String(method), args }),
    set: () => true,
  }) as CanvasRenderingContext2D;
  return { ctx, calls };
}

/** The render states of an episode's first steps under seeded random actions. */
function frames(id: EnvId, steps = 3): unknown[] {
  const env = make(id);
  env.reset({ seed: 1 });
  env.actionSpace.seed(1);
  const states: unknown[] = [env.renderState()];
  for (let t = 0; t < steps; t++) {
    env.step(env.actionSpace.sample() as never);
    states.push(env.renderState());
  }
  return states;
}

/** The text the fallback printed, if it drew this frame. */
const fallbackText = (calls: { method: string; args: unknown[] }[]) =>
  calls.find((c) => c.method === "fillText" && String(c.args[0]).startsWith("{"))?.args[0];

Deno.test("draw_frame - every registered env's frames draw, with its drawer or as text", () => {
  for (const id of envIds) {
    for (const state of frames(id)) {
      const { ctx, calls } = recordingContext();
      drawFrame(ctx, { env: id, state, width: 480, height: 300 });
      assert.ok(calls.length > 2, `${id}: only the background was drawn`);
    }
  }
});

Deno.test("draw_frame - Gymnasium's classic-control and toy-text ids draw pictures, not text", () => {
  const drawn: EnvId[] = [
    "CartPole-v0",
    "CartPole-v1",
    "MountainCar-v0",
    "Pendulum-v1",
    "Acrobot-v1",
    "FrozenLake-v1",
    "FrozenLake8x8-v1",
    "CliffWalking-v1",
    "CliffWalkingSlippery-v1",
  ];
  for (const id of drawn) {
    const { ctx, calls } = recordingContext();
    drawFrame(ctx, { env: id, state: frames(id, 1)[1], width: 480, height: 300 });
    assert.equal(fallbackText(calls), undefined, id);
    assert.ok(calls.some((c) => c.method === "stroke" || c.method === "strokeRect"), `${id}: no outline drawn`);
  }
});

Deno.test("draw_frame - an env id without a drawer replays its state as text", () => {
  for (const env of ["Taxi-v3", "constructor", "cart_pole"]) {
    const { ctx, calls } = recordingContext();
    drawFrame(ctx, { env, state: { kind: "taxi", s: 328 }, width: 480, height: 300 });
    assert.equal(fallbackText(calls), '{"kind":"taxi","s":328}', env);
  }
});
