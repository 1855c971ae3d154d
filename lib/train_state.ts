/**
 * Moves training state between tfjs and checkpoints: model weights in their fixed order, the
 * Adam optimizer's step count, moments and running powers of beta, and the random streams; and
 * `captureTraining` / `restoreTraining`, which do all of a lab's at once, from one description, so
 * that what is saved and what is restored cannot drift apart. Shapes are checked on restore, so a
 * checkpoint from a different architecture is refused by name.
 */
import type { CheckpointState, NamedArray } from "./checkpoint.ts";
import { UsageError } from "./errors.ts";
import { captureVariables, restoreVariables } from "./named_variables.ts";
import { restoreStreams, type Rng, streamStates } from "./rng.ts";
import { layers, tf } from "./tf.ts";

/** One group of a checkpoint's tensors: layers models, a record of named variables, or an Adam optimizer's state. */
export type TensorGroup =
  | { models: layers.LayersModel[] }
  | { variables: Record<string, tf.Variable> }
  | { adam: tf.AdamOptimizer };

/** What a lab's training checkpoints, under the names its checkpoints use: tensor groups, and random streams (in meta). */
export interface Training {
  tensors: Record<string, TensorGroup>;
  rngs: Record<string, Rng>;
}

/**
 * What a checkpoint of `training` holds, followed by `extra`: tensors captured otherwise (a replay
 * buffer, an action log) and the lab's own counters in meta.
 */
export async function captureTraining(
  { tensors, rngs }: Training,
  extra: Partial<Pick<CheckpointState, "tensors" | "meta">> = {},
): Promise<Pick<CheckpointState, "tensors" | "meta">> {
  const captured: Record<string, NamedArray[]> = {};
  for (const [name, group] of Object.entries(tensors)) {
    captured[name] = "models" in group
      ? await captureWeights(group.models)
      : "variables" in group
      ? await captureVariables(group.variables)
      : await captureAdam(group.adam);
  }
  return { tensors: { ...captured, ...extra.tensors }, meta: { ...streamStates(rngs), ...extra.meta } };
}

/** Restores, in place, everything `captureTraining` saved; a group or stream the checkpoint lacks is refused by name. */
export async function restoreTraining(
  { tensors, rngs }: Training,
  checkpoint: Pick<CheckpointState, "tensors" | "meta">,
): Promise<void> {
  for (const [name, group] of Object.entries(tensors)) {
    const arrays = checkpoint.tensors[name];
    if (!arrays) {
      throw new UsageError(
        `Checkpoint holds no '${name}' tensors (it holds ${Object.keys(checkpoint.tensors).join(", ") || "none"}).`,
      );
    }
    if ("models" in group) restoreWeights(group.models, arrays);
    else if ("variables" in group) restoreVariables(group.variables, arrays);
    else await restoreAdam(group.adam, arrays);
  }
  restoreStreams(rngs, checkpoint.meta);
}

export async function captureWeights(models: layers.LayersModel[]): Promise<NamedArray[]> {
  const weights = models.flatMap((model) =>
    model.weights.map((w) => ({ name: `${model.name}/${w.originalName}`, tensor: w.read() }))
  );
  return await Promise.all(weights.map(async ({ name, tensor }) => ({
    name,
    shape: tensor.shape,
    data: new Float32Array(await tensor.data()),
  })));
}

export function restoreWeights(models: layers.LayersModel[], arrays: NamedArray[]): void {
  const targets = models.flatMap((model) =>
    model.weights.map((w) => ({ name: `${model.name}/${w.originalName}`, weight: w }))
  );
  checkLayout("model", targets.map(({ name, weight }) => ({ name, shape: weight.read().shape })), arrays);
  tf.tidy(() => targets.forEach(({ weight }, i) => weight.write(tf.tensor(arrays[i].data, arrays[i].shape))));
}

// tfjs keeps Adam's running beta powers in two private variables; they are saved too, because
// setWeights recomputes them as pow(beta, t), which differs from the running product in the
// last bits and would break bit-exact resumption.
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

export async function captureAdam(optimizer: tf.AdamOptimizer): Promise<NamedArray[]> {
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamInternals;
  const [iterations, ...moments] = await optimizer.getWeights();
  const named = [
    iterations,
    ...moments,
    { name: "accBeta1", tensor: accBeta1 },
    { name: "accBeta2", tensor: accBeta2 },
  ];
  const arrays = await Promise.all(named.map(async ({ name, tensor }) => ({
    name,
    shape: tensor.shape,
    data: new Float32Array(await tensor.data()),
  })));
  iterations.tensor.dispose(); // getWeights makes a new scalar of the step count on every call
  return arrays;
}

export async function restoreAdam(optimizer: tf.AdamOptimizer, arrays: NamedArray[]): Promise<void> {
  const betas = arrays.slice(-2);
  if (betas.map((b) => b.name).join() !== "accBeta1,accBeta2") {
    throw new UsageError("Checkpoint optimizer state is not Adam's (no accBeta1, accBeta2).");
  }
  const saved = arrays.slice(0, -2).map(({ name, data, shape }) => ({ name, tensor: tf.tensor(data, shape) }));
  await optimizer.setWeights(saved);
  tf.dispose(saved.map((s) => s.tensor)); // setWeights made variables of them
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamInternals;
  tf.tidy(() => {
    accBeta1.assign(tf.scalar(betas[0].data[0]));
    accBeta2.assign(tf.scalar(betas[1].data[0]));
  });
}

function checkLayout(what: string, expected: { name: string; shape: number[] }[], actual: NamedArray[]): void {
  const describe = (list: { name: string; shape: number[] }[]) => list.map((t) => `${t.name} [${t.shape}]`).join(", ");
  const same = expected.length === actual.length &&
    expected.every((t, i) => t.shape.join() === actual[i].shape.join());
  if (!same) {
    throw new UsageError(
      `Checkpoint ${what} does not fit this model: it holds ${describe(actual)}; the model has ${describe(expected)}.`,
    );
  }
}
