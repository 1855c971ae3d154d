/**
 * A seeded random number generator: xoshiro128** (Blackman and Vigna, 2018), seeded through
 * splitmix32. All of a run's randomness comes from generators like this one, never
 * `Math.random`, so that a seed reproduces a run and a checkpoint can save and restore the
 * stream exactly (`state()` / `Rng.fromState()`).
 */
import { UsageError } from "./errors.ts";

export type RngState = [number, number, number, number];

/** Whether `value` (read from a checkpoint, say) is a generator state: 4 unsigned 32-bit integers. */
export const isRngState = (value: unknown): value is RngState =>
  Array.isArray(value) && value.length === 4 && value.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32);

export class Rng {
  private s: Uint32Array;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`Rng seed must be an integer, got ${seed}`);
    this.s = new Uint32Array(4);
    // splitmix32 spreads one 32-bit seed over the 128-bit state (never all zero).
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.restore(state);
    return rng;
  }

  /** Continues the stream from a saved `state()`, in place (closures holding this generator follow it). */
  restore(state: RngState): void {
    if (!isRngState(state)) throw new Error(`Rng state must be 4 integers, got ${JSON.stringify(state)}`);
    this.s.set(state);
  }

  state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1), with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal sample (Box-Muller). */
  normal(): number {
    const u = 1 - this.uniform(); // in (0, 1], so the log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** The integers 0..n-1 in a uniformly random order (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seed for an independent stream, derived from a run seed and a stream name. */
export function deriveSeed(seed: number, stream: string): number {
  let h = seed >>> 0;
  for (const ch of stream) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return new Rng(h).nextUint32();
}

/** The states of named streams, as a checkpoint's meta keeps them. */
export const streamStates = (rngs: Record<string, Rng>): Record<string, RngState> =>
  Object.fromEntries(Object.entries(rngs).map(([name, rng]) => [name, rng.state()]));

/** Restores named streams in place from a checkpoint's meta; a stream it lacks is refused by name. */
export function restoreStreams(rngs: Record<string, Rng>, meta: Record<string, unknown>): void {
  for (const [name, rng] of Object.entries(rngs)) {
    const state = meta[name];
    if (!isRngState(state)) {
      throw new UsageError(
        `Checkpoint holds no state of the random stream '${name}' (found ${JSON.stringify(state)}).`,
      );
    }
    rng.restore(state);
  }
}
