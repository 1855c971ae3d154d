/**
 * Views of a 2-D latent space (Kingma and Welling, 2014, Fig. 4; the Keras VAE example's plots):
 *
 * - `latentMapPng`: a scatter plot of 2-D codes (e.g. the encoder means of test digits), one
 *   colour per class with a legend, rendered into RGB pixels here (no plotting library).
 * - `manifoldCodes`: a side x side lattice of codes at Gaussian quantiles, whose decoded images
 *   tile into the "learned manifold" grid. Rows run from high z2 (top) to low, as the plot's y axis.
 */
import { encode } from "fast-png";
import type { Png } from "./image_grid.ts";

/** matplotlib's "tab10" palette, the Keras example's colours, one per digit. */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];
const BACKGROUND = 255, GRID = 225, AXIS = 150, INK = [0, 0, 0];

// 3x5 glyphs for the axis and legend labels, one string of 15 bits a glyph.
const GLYPHS: Record<string, string> = {
  "0": "111101101101111",
  "1": "010110010010111",
  "2": "111001111100111",
  "3": "111001111001111",
  "4": "101101111001001",
  "5": "111100111001111",
  "6": "111100111101111",
  "7": "111001001001001",
  "8": "111101111101111",
  "9": "111101111001111",
  "-": "000000111000000",
};
const SCALE = 2, GLYPH_W = 3 * SCALE + SCALE, GLYPH_H = 5 * SCALE; // advance 8 px, 10 px tall

export interface LatentMapOptions {
  /** side of the square plot area in pixels */
  size?: number;
  /**
   * the plot spans [-extent, extent] on both axes (default: the 99.5th percentile of |coordinate|
   * rounded up, at least 1, so that a few outliers do not squash the plot)
   */
  extent?: number;
}

/** Where the plot area and the legend sit in the image, in pixels. */
export function latentMapLayout(size: number) {
  const left = 3 * GLYPH_W, top = 8, bottom = GLYPH_H + 10, legend = 48;
  return { left, top, size, width: left + size + legend, height: top + size + bottom, legendLeft: left + size + 12 };
}

/**
 * `points` [N * 2] as (z1, z2) pairs, `labels` [N] classes 0..9. Each point is a 3x3 dot, drawn in
 * order (later dots cover earlier ones); points outside the extent are left out.
 */
export function latentMapPng(points: Float32Array, labels: ArrayLike<number>, options: LatentMapOptions = {}): Png {
  const count = points.length / 2;
  if (!Number.isInteger(count) || labels.length !== count) {
    throw new Error(
      `latentMapPng: expected ${labels.length} (z1, z2) pairs for as many labels, got ${points.length} values`,
    );
  }
  const size = options.size ?? 400;
  const extent = options.extent ?? robustExtent(points);
  const { left, top, width, height, legendLeft } = latentMapLayout(size);
  const rgb = new Uint8Array(width * height * 3).fill(BACKGROUND);
  const fill = (x: number, y: number, w: number, h: number, colour: readonly number[]) => {
    for (let row = y; row < y + h; row++) {
      for (let col = x; col < x + w; col++) rgb.set(colour, (row * width + col) * 3);
    }
  };
  const text = (s: string, x: number, y: number) =>
    [...s].forEach((ch, i) =>
      [...GLYPHS[ch]].forEach((bit, b) => {
        if (bit === "1") fill(x + i * GLYPH_W + (b % 3) * SCALE, y + Math.floor(b / 3) * SCALE, SCALE, SCALE, INK);
      })
    );
  const grey = (v: number) => [v, v, v];
  // Latent coordinate -> pixel column / row (y up).
  const column = (z1: number) => left + Math.floor(((z1 + extent) / (2 * extent)) * size);
  const row = (z2: number) => top + Math.floor(((extent - z2) / (2 * extent)) * size);

  // ---- grid lines at whole units (when they are not too dense), the axes through 0, the frame
  if (extent <= 20) {
    for (let u = -extent; u <= extent; u++) {
      fill(Math.min(column(u), left + size - 1), top, 1, size, grey(u === 0 ? AXIS : GRID));
      fill(left, Math.min(row(u), top + size - 1), size, 1, grey(u === 0 ? AXIS : GRID));
    }
  }
  for (const [x, y, w, h] of [[left - 1, top - 1, size + 2, 1], [left - 1, top + size, size + 2, 1]]) {
    fill(x, y, w, h, grey(AXIS));
  }
  fill(left - 1, top - 1, 1, size + 2, grey(AXIS));
  fill(left + size, top - 1, 1, size + 2, grey(AXIS));
  text(`-${extent}`, left, top + size + 6);
  text(`${extent}`, left + size - String(extent).length * GLYPH_W, top + size + 6);
  text(`${extent}`, 0, top);
  text(`-${extent}`, 0, top + size - GLYPH_H);

  // ---- the points
  for (let i = 0; i < count; i++) {
    const [z1, z2] = [points[2 * i], points[2 * i + 1]];
    if (!(Math.abs(z1) < extent && Math.abs(z2) < extent)) continue;
    const [x, y] = [column(z1), row(z2)];
    const x0 = Math.max(left, x - 1), y0 = Math.max(top, y - 1);
    fill(x0, y0, Math.min(left + size, x + 2) - x0, Math.min(top + size, y + 2) - y0, CLASS_COLOURS[labels[i]]);
  }

  // ---- the legend: a swatch and the digit, one a row
  CLASS_COLOURS.forEach((colour, digit) => {
    fill(legendLeft, top + digit * 20, GLYPH_H, GLYPH_H, colour);
    text(String(digit), legendLeft + GLYPH_H + 6, top + digit * 20);
  });
  return { bytes: encode({ width, height, data: rgb, channels: 3, depth: 8 }), width, height };
}

function robustExtent(points: Float32Array): number {
  const magnitudes = Float32Array.from(points, Math.abs).sort();
  return Math.max(1, Math.ceil(magnitudes[Math.floor(0.995 * (magnitudes.length - 1))] ?? 1));
}

/**
 * The standard normal quantile function (inverse CDF), by P. J. Acklam's rational approximation
 * (relative error below 1.2e-9), for p in (0, 1).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: expected p in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * side x side codes [side * side * 2], row-major from the top-left: column j has
 * z1 = Phi^-1((j + 0.5) / side), row i has z2 = Phi^-1(1 - (i + 0.5) / side), so equal
 * steps of probability mass under the prior, as Kingma and Welling's Fig. 4.
 */
export function manifoldCodes(side: number): Float32Array {
  const quantiles = Array.from({ length: side }, (_, i) => normalQuantile((i + 0.5) / side));
  const codes = new Float32Array(side * side * 2);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) codes.set([quantiles[j], quantiles[side - 1 - i]], 2 * (i * side + j));
  }
  return codes;
}
