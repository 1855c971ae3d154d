/// <reference lib="dom" />
/**
 * Draws one recorded render state on a canvas with the drawer of the episode's env id; an env
 * without one (a new env, or an id no longer registered) shows the state as text, so every
 * episode replays.
 */
import type { EnvId, EnvTypes } from "../../../environments/registry.ts";
import { drawAcrobot, drawCartPole, drawMountainCar, drawPendulum } from "./classic_control.ts";
import { drawGridWorld } from "./grid_world.ts";

type Drawer<S> = (ctx: CanvasRenderingContext2D, state: S, width: number, height: number) => void;

/** The drawer of each env id, typed by the id's render state. */
const DRAWERS: { readonly [K in EnvId]?: Drawer<EnvTypes[K]["render"]> } = {
  "CartPole-v0": drawCartPole,
  "CartPole-v1": drawCartPole,
  "MountainCar-v0": drawMountainCar,
  "Pendulum-v1": drawPendulum,
  "Acrobot-v1": drawAcrobot,
  "FrozenLake-v1": drawGridWorld,
  "FrozenLake8x8-v1": drawGridWorld,
  "CliffWalking-v1": drawGridWorld,
  "CliffWalkingSlippery-v1": drawGridWorld,
};

export interface FrameToDraw {
  /** The episode's env id (`EpisodeRecord.env`). */
  env: string;
  /** One recorded render state, as read back from the record's JSON. */
  state: unknown;
  width: number;
  height: number;
}

export function drawFrame(ctx: CanvasRenderingContext2D, { env, state, width, height }: FrameToDraw): void {
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  const draw = Object.hasOwn(DRAWERS, env) ? DRAWERS[env as EnvId] as Drawer<unknown> : undefined;
  if (draw) return draw(ctx, state, width, height);
  ctx.fillStyle = "#6b7280";
  ctx.font = "12px ui-monospace, monospace";
  ctx.fillText(JSON.stringify(state)?.slice(0, 80) ?? "no state", 8, 20);
}
