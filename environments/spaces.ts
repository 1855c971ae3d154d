/**
 * Action and observation spaces, after Gymnasium's `spaces.Discrete` and `spaces.Box`
 * (gymnasium/spaces/discrete.py, box.py). Box is always float32, as every Box in the classic
 * control envs is. `sample()` draws from the space's own seeded generator (`seed()` it, as
 * `env.action_space.seed(n)` in Gymnasium) or from a generator passed in.
 */
import { Rng } from "../lib/rng.ts";

export interface Space<T> {
  /** A random element; from `rng` when given, else from the space's own generator. */
  sample(rng?: Rng): T;
  /** Whether `x` is an element of the space (type, shape and bounds). */
  contains(x: unknown): x is T;
  /** Reseeds the space's own generator. An unseeded space starts from seed 0. */
  seed(seed: number): void;
  /** Gymnasium's repr, e.g. `Discrete(2)` or `Box(-2.0, 2.0, (1,), float32)`. */
  toString(): string;
}

/** The integers `start, ..., start + n - 1`. */
export class Discrete implements Space<number> {
  readonly n: number;
  readonly start: number;
  private rng = new Rng(0);

  constructor(n: number, { start = 0 }: { start?: number } = {}) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Discrete: n must be a positive integer, got ${n}`);
    if (!Number.isInteger(start)) throw new Error(`Discrete: start must be an integer, got ${start}`);
    this.n = n;
    this.start = start;
  }

  sample(rng: Rng = this.rng): number {
    return this.start + rng.int(this.n);
  }

  contains(x: unknown): x is number {
    return typeof x === "number" && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  seed(seed: number): void {
    this.rng = new Rng(seed);
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/** A float32 box: arrays of `shape` with `low <= x <= high` element-wise (bounds may be infinite). */
export class Box implements Space<Float32Array> {
  readonly low: Float32Array;
  readonly high: Float32Array;
  readonly shape: readonly number[];
  readonly size: number;
  private rng = new Rng(0);

  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    { shape }: { shape?: readonly number[] } = {},
  ) {
    const inferred = typeof low !== "number" ? [low.length] : typeof high !== "number" ? [high.length] : undefined;
    this.shape = [...(shape ?? inferred ?? [])];
    if (this.shape.length === 0) throw new Error("Box: give a shape or array bounds");
    this.size = this.shape.reduce((a, b) => a * b, 1);
    this.low = bound("low", low, this.size);
    this.high = bound("high", high, this.size);
    this.low.forEach((l, i) => {
      if (!(l <= this.high[i])) throw new Error(`Box: low[${i}] = ${l} is above high[${i}] = ${this.high[i]}`);
    });
  }

  /**
   * Gymnasium's rule: uniform where bounded, exponential from a finite side, normal where unbounded.
   * The float32 cast rounds to the nearest float32, never past a (float32) bound.
   */
  sample(rng: Rng = this.rng): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i], hi = this.high[i];
      const exponential = () => -Math.log(1 - rng.uniform());
      if (Number.isFinite(lo) && Number.isFinite(hi)) out[i] = lo + (hi - lo) * rng.uniform();
      else if (Number.isFinite(lo)) out[i] = lo + exponential();
      else if (Number.isFinite(hi)) out[i] = hi - exponential();
      else out[i] = rng.normal();
    }
    return out;
  }

  contains(x: unknown): x is Float32Array {
    if (!isNumberArray(x) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      if (!(x[i] >= this.low[i] && x[i] <= this.high[i])) return false; // NaN fails too
    }
    return true;
  }

  seed(seed: number): void {
    this.rng = new Rng(seed);
  }

  toString(): string {
    const repr = (a: Float32Array) =>
      a.every((v) => v === a[0]) ? float32String(a[0]) : `[${Array.from(a, float32String).join(", ")}]`;
    const shape = this.shape.length === 1 ? `(${this.shape[0]},)` : `(${this.shape.join(", ")})`;
    return `Box(${repr(this.low)}, ${repr(this.high)}, ${shape}, float32)`;
  }
}

/** An array or typed array of numbers (what a Box action or observation may be). */
export function isNumberArray(x: unknown): x is ArrayLike<number> {
  if (ArrayBuffer.isView(x)) return !(x instanceof DataView) && typeof (x as Float32Array)[0] !== "bigint";
  return Array.isArray(x) && x.every((v) => typeof v === "number");
}

/** The shortest decimal that reads back as the same float32, as numpy prints it ("4.8", "2.0", "inf"). */
export function float32String(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  for (let digits = 1; digits <= 9; digits++) {
    const s = String(Number(x.toPrecision(digits)));
    if (Math.fround(Number(s)) === x) return Number.isInteger(Number(s)) && !s.includes("e") ? `${s}.0` : s;
  }
  return String(x);
}

function bound(name: string, value: number | ArrayLike<number>, size: number): Float32Array {
  if (typeof value === "number") return new Float32Array(size).fill(value);
  if (value.length !== size) throw new Error(`Box: ${name} has ${value.length} values, the shape holds ${size}`);
  return Float32Array.from(value);
}
