/// <reference lib="dom" />
/** Draws one recorded render state on a canvas, by the state's `kind`; unknown kinds show the state as text. */
import type { RenderState } from "../../../environments/core.ts";
import { drawAcrobot, drawCartPole, drawMountainCar, drawPendulum } from "./classic_control.ts";
import { drawGridWorld } from "./grid_world.ts";

export function drawFrame(ctx: CanvasRenderingContext2D, state: unknown, width: number, height: number): void {
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  const s = state as RenderState;
  switch (s?.kind) {
    case "cart_pole":
      return drawCartPole(ctx, s, width, height);
    case "mountain_car":
      return drawMountainCar(ctx, s, width, height);
    case "acrobot":
      return drawAcrobot(ctx, s, width, height);
    case "pendulum":
      return drawPendulum(ctx, s, width, height);
    case "frozen_lake":
    case "cliff_walking":
      return drawGridWorld(ctx, s, width, height);
    default:
      ctx.fillStyle = "#6b7280";
      ctx.font = "12px ui-monospace, monospace";
      ctx.fillText(JSON.stringify(state)?.slice(0, 80) ?? "no state", 8, 20);
  }
}
