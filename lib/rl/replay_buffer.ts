/**
 * A fixed-size experience replay buffer (Mnih et al., 2015) for vector observations and discrete
 * actions: a ring of typed arrays, so adding is O(1) and memory is allocated once. Uniform
 * minibatches come from the caller's seeded generator. The whole buffer can be saved into and
 * restored from a checkpoint, so a resumed DQN run continues with the same experience.
 */
import type { NamedArray } from "../checkpoint.ts";
import type { Rng } from "../rng.ts";

export interface Transition {
  obs: ArrayLike<number>;
  action: number;
  reward: number;
  nextObs: ArrayLike<number>;
  /** true when nextObs is terminal (not when the episode was truncated by a time limit) */
  terminated: boolean;
}

export interface Minibatch {
  obs: Float32Array; // [batch, obsSize]
  actions: Int32Array; // [batch]
  rewards: Float32Array; // [batch]
  nextObs: Float32Array; // [batch, obsSize]
  terminated: Float32Array; // [batch], 1 or 0
}

export class ReplayBuffer {
  private obs: Float32Array;
  private nextObs: Float32Array;
  private actions: Int32Array;
  private rewards: Float32Array;
  private terminated: Float32Array;
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number, readonly obsSize: number) {
    if (!(Number.isInteger(capacity) && capacity > 0 && Number.isInteger(obsSize) && obsSize > 0)) {
      throw new Error(`ReplayBuffer: capacity and obsSize must be positive integers, got ${capacity}, ${obsSize}`);
    }
    this.obs = new Float32Array(capacity * obsSize);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Float32Array(capacity);
  }

  get size(): number {
    return this.filled;
  }

  add(t: Transition): void {
    if (t.obs.length !== this.obsSize || t.nextObs.length !== this.obsSize) {
      throw new Error(`ReplayBuffer.add: observations must have ${this.obsSize} values, got ${t.obs.length}`);
    }
    const i = this.next;
    this.obs.set(t.obs, i * this.obsSize);
    this.nextObs.set(t.nextObs, i * this.obsSize);
    this.actions[i] = t.action;
    this.rewards[i] = t.reward;
    this.terminated[i] = t.terminated ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.filled = Math.min(this.filled + 1, this.capacity);
  }

  /** `batchSize` transitions drawn uniformly with replacement. */
  sample(batchSize: number, rng: Rng): Minibatch {
    if (this.filled === 0) throw new Error("ReplayBuffer.sample: the buffer is empty");
    const d = this.obsSize;
    const batch: Minibatch = {
      obs: new Float32Array(batchSize * d),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * d),
      terminated: new Float32Array(batchSize),
    };
    for (let b = 0; b < batchSize; b++) {
      const i = rng.int(this.filled);
      batch.obs.set(this.obs.subarray(i * d, (i + 1) * d), b * d);
      batch.nextObs.set(this.nextObs.subarray(i * d, (i + 1) * d), b * d);
      batch.actions[b] = this.actions[i];
      batch.rewards[b] = this.rewards[i];
      batch.terminated[b] = this.terminated[i];
    }
    return batch;
  }

  /** The buffer's contents and cursor, for a checkpoint. */
  toArrays(): NamedArray[] {
    const cursor = Float32Array.from([this.next, this.filled]);
    return [
      { name: "obs", shape: [this.capacity, this.obsSize], data: this.obs },
      { name: "nextObs", shape: [this.capacity, this.obsSize], data: this.nextObs },
      { name: "actions", shape: [this.capacity], data: Float32Array.from(this.actions) },
      { name: "rewards", shape: [this.capacity], data: this.rewards },
      { name: "terminated", shape: [this.capacity], data: this.terminated },
      { name: "cursor", shape: [2], data: cursor },
    ];
  }

  static fromArrays(arrays: NamedArray[]): ReplayBuffer {
    const byName = new Map(arrays.map((a) => [a.name, a]));
    const obs = byName.get("obs");
    const cursor = byName.get("cursor");
    if (!obs || !cursor || obs.shape.length !== 2) throw new Error("checkpoint holds no replay buffer");
    const buffer = new ReplayBuffer(obs.shape[0], obs.shape[1]);
    buffer.obs.set(obs.data);
    buffer.nextObs.set(byName.get("nextObs")!.data);
    buffer.actions.set(byName.get("actions")!.data);
    buffer.rewards.set(byName.get("rewards")!.data);
    buffer.terminated.set(byName.get("terminated")!.data);
    [buffer.next, buffer.filled] = cursor.data;
    return buffer;
  }
}
