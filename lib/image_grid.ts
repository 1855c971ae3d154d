/**
 * Tiles same-sized grey images into one PNG (e.g. 8x8 VAE samples), with a one-pixel border
 * between tiles, encoded by fast-png.
 */
import { encode } from "fast-png";

export interface GridOptions {
  /** images per row */
  columns: number;
  height: number;
  width: number;
  padding?: number;
}

export interface Png {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** `pixels` holds N images of height x width values in [0, 1], row-major, one after another. */
export function imageGridPng(pixels: Float32Array, options: GridOptions): Png {
  const { columns, height, width, padding = 1 } = options;
  const size = height * width;
  if (pixels.length === 0 || pixels.length % size !== 0) {
    throw new Error(`imageGridPng: expected a multiple of ${height}x${width} values, got ${pixels.length}`);
  }
  const count = pixels.length / size;
  const rows = Math.ceil(count / columns);
  const gridWidth = columns * (width + padding) + padding;
  const gridHeight = rows * (height + padding) + padding;
  const grid = new Uint8Array(gridWidth * gridHeight).fill(128);
  for (let n = 0; n < count; n++) {
    const top = padding + Math.floor(n / columns) * (height + padding);
    const left = padding + (n % columns) * (width + padding);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const value = pixels[n * size + y * width + x];
        grid[(top + y) * gridWidth + left + x] = Math.round(Math.min(1, Math.max(0, value)) * 255);
      }
    }
  }
  const bytes = encode({ width: gridWidth, height: gridHeight, data: grid, channels: 1, depth: 8 });
  return { bytes, width: gridWidth, height: gridHeight };
}
