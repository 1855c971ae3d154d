/// <reference lib="dom" />
/**
 * Frames of the classic-control environments, drawn from their render states with the
 * geometry of Gymnasium's own renderers (classic_control/*.py): world units scaled to the
 * canvas, y up. Everything is drawn from the recorded state; no video is stored.
 */
import type { AcrobotRenderState } from "../../../environments/acrobot.ts";
import type { CartPoleRenderState } from "../../../environments/cart_pole.ts";
import type { MountainCarRenderState } from "../../../environments/mountain_car.ts";
import type { PendulumRenderState } from "../../../environments/pendulum.ts";

type Ctx = CanvasRenderingContext2D;
const INK = "#1f2937", ACCENT = "#2563eb", MUTED = "#9ca3af", WARN = "#d9534f";

/** A y-up frame: world point (x, y) -> canvas pixels, `scale` pixels per unit, origin at (ox, oy). */
function frame(ox: number, oy: number, scale: number) {
  return { x: (x: number) => ox + x * scale, y: (y: number) => oy - y * scale, scale };
}

function line(ctx: Ctx, x1: number, y1: number, x2: number, y2: number, color: string, width: number) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
}

function disc(ctx: Ctx, x: number, y: number, r: number, color: string) {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
}

export function drawCartPole(ctx: Ctx, s: CartPoleRenderState, w: number, h: number): void {
  const f = frame(w / 2, h * 0.7, w / (2 * s.xThreshold * 1.1));
  line(ctx, 0, f.y(0), w, f.y(0), MUTED, 1);
  for (const edge of [-s.xThreshold, s.xThreshold]) line(ctx, f.x(edge), f.y(0) - 6, f.x(edge), f.y(0) + 6, WARN, 2);
  const cartW = 0.5 * f.scale, cartH = 0.3 * f.scale;
  ctx.fillStyle = INK;
  ctx.fillRect(f.x(s.x) - cartW / 2, f.y(0) - cartH / 2, cartW, cartH);
  // Positive theta leans the pole towards +x; its full length is 2 * length.
  const tipX = s.x + 2 * s.length * Math.sin(s.theta), tipY = 2 * s.length * Math.cos(s.theta);
  const pivotY = f.y(0) - cartH / 4;
  line(ctx, f.x(s.x), pivotY, f.x(tipX), pivotY - tipY * f.scale, "#c98a4b", Math.max(4, 0.1 * f.scale));
  disc(ctx, f.x(s.x), pivotY, Math.max(2, 0.04 * f.scale), "#818cf8");
}

export function drawMountainCar(ctx: Ctx, s: MountainCarRenderState, w: number, h: number): void {
  const height = (x: number) => Math.sin(3 * x) * 0.45 + 0.55;
  const span = s.maxPosition - s.minPosition;
  const f = frame(-s.minPosition * (w / span), h * 0.92, Math.min(w / span, (h * 0.72) / 1.0));
  const f2 = { ...f, x: (x: number) => (x - s.minPosition) * (w / span) };
  ctx.strokeStyle = INK;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (let i = 0; i <= 100; i++) {
    const x = s.minPosition + (span * i) / 100;
    if (i === 0) ctx.moveTo(f2.x(x), f.y(height(x)));
    else ctx.lineTo(f2.x(x), f.y(height(x)));
  }
  ctx.stroke();
  const flagX = f2.x(s.goalPosition), flagY = f.y(height(s.goalPosition));
  line(ctx, flagX, flagY, flagX, flagY - 30, INK, 1.5);
  ctx.fillStyle = "#eab308";
  ctx.fillRect(flagX, flagY - 30, 16, 10);
  // The car sits on the curve, tilted to its slope (d/dx of the height, in screen units).
  const cx = f2.x(s.position), cy = f.y(height(s.position));
  const slope = Math.atan(((Math.cos(3 * s.position) * 1.35) * f.scale) / (w / span));
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(-slope);
  ctx.fillStyle = ACCENT;
  ctx.fillRect(-18, -16, 36, 12);
  disc(ctx, -10, -4, 4, INK);
  disc(ctx, 10, -4, 4, INK);
  ctx.restore();
}

export function drawAcrobot(ctx: Ctx, s: AcrobotRenderState, w: number, h: number): void {
  const reach = s.linkLength1 + s.linkLength2;
  const f = frame(w / 2, h / 2, Math.min(w, h) / (2 * reach * 1.1));
  // theta1 from straight down; theta2 relative to the first link (Gymnasium's acrobot.py).
  const p1 = [s.linkLength1 * Math.sin(s.theta1), -s.linkLength1 * Math.cos(s.theta1)];
  const p2 = [
    p1[0] + s.linkLength2 * Math.sin(s.theta1 + s.theta2),
    p1[1] - s.linkLength2 * Math.cos(s.theta1 + s.theta2),
  ];
  // The goal: the tip above this line (height 1 above the pivot).
  line(ctx, f.x(-reach), f.y(1), f.x(reach), f.y(1), MUTED, 1);
  line(ctx, f.x(0), f.y(0), f.x(p1[0]), f.y(p1[1]), ACCENT, 8);
  line(ctx, f.x(p1[0]), f.y(p1[1]), f.x(p2[0]), f.y(p2[1]), ACCENT, 8);
  for (const [x, y] of [[0, 0], p1]) disc(ctx, f.x(x), f.y(y), 5, "#eab308");
}

export function drawPendulum(ctx: Ctx, s: PendulumRenderState, w: number, h: number): void {
  const f = frame(w / 2, h / 2, Math.min(w, h) / 2.6);
  // theta from upright, counter-clockwise positive.
  const tip = [-Math.sin(s.theta), Math.cos(s.theta)];
  line(ctx, f.x(0), f.y(0), f.x(tip[0]), f.y(tip[1]), "#cc4c4c", Math.max(6, 0.2 * f.scale));
  disc(ctx, f.x(0), f.y(0), 5, INK);
  if (s.lastU !== null && s.lastU !== 0) {
    // The torque as an arc around the pivot, longer for more torque (max 2).
    const r = 0.35 * f.scale, sweep = (Math.abs(s.lastU) / 2) * Math.PI;
    ctx.strokeStyle = MUTED;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(f.x(0), f.y(0), r, -Math.PI / 2, -Math.PI / 2 - Math.sign(s.lastU) * sweep, s.lastU > 0);
    ctx.stroke();
  }
}
