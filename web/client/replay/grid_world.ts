/// <reference lib="dom" />
/** Frames of the grid worlds (FrozenLake, CliffWalking): the map's cells, the agent, and its last move. */
import type { CliffWalkingRenderState } from "../../../environments/cliff_walking.ts";
import type { FrozenLakeRenderState } from "../../../environments/frozen_lake.ts";

const CELL_COLORS: Record<string, string> = {
  S: "#dbeafe", // start
  F: "#eff6ff", // frozen
  H: "#1e3a8a", // hole
  G: "#fde68a", // goal
  C: "#7f1d1d", // cliff
  ".": "#f3f4f6", // open ground
};

// [dRow, dCol] of each action, per env: FrozenLake 0 left 1 down 2 right 3 up; CliffWalking 0 up 1 right 2 down 3 left.
const MOVES = {
  frozen_lake: [[0, -1], [1, 0], [0, 1], [-1, 0]],
  cliff_walking: [[-1, 0], [0, 1], [1, 0], [0, -1]],
};

export function drawGridWorld(
  ctx: CanvasRenderingContext2D,
  s: FrozenLakeRenderState | CliffWalkingRenderState,
  w: number,
  h: number,
): void {
  const rows = s.map.length, cols = s.map[0]?.length ?? 0;
  if (!rows || !cols) return;
  const cell = Math.min(w / cols, h / rows);
  const left = (w - cell * cols) / 2, top = (h - cell * rows) / 2;
  ctx.font = `${Math.round(cell * 0.35)}px system-ui`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const tile = s.map[r][c];
      ctx.fillStyle = CELL_COLORS[tile] ?? "#ffffff";
      ctx.fillRect(left + c * cell, top + r * cell, cell, cell);
      ctx.strokeStyle = "#d1d5db";
      ctx.strokeRect(left + c * cell + 0.5, top + r * cell + 0.5, cell - 1, cell - 1);
      if (tile === "S" || tile === "G") {
        ctx.fillStyle = "#6b7280";
        ctx.fillText(tile, left + (c + 0.5) * cell, top + (r + 0.5) * cell);
      }
    }
  }
  const cx = left + (s.col + 0.5) * cell, cy = top + (s.row + 0.5) * cell;
  if (s.lastAction !== null) {
    // A short tail behind the agent, pointing the way it last moved.
    const [dr, dc] = MOVES[s.kind][s.lastAction] ?? [0, 0];
    ctx.strokeStyle = "#f59e0b";
    ctx.lineWidth = Math.max(2, cell * 0.08);
    ctx.beginPath();
    ctx.moveTo(cx - dc * cell * 0.45, cy - dr * cell * 0.45);
    ctx.lineTo(cx, cy);
    ctx.stroke();
  }
  ctx.fillStyle = "#2563eb";
  ctx.beginPath();
  ctx.arc(cx, cy, cell * 0.28, 0, 2 * Math.PI);
  ctx.fill();
}
