/**
 * Checkpointing for models kept as a record of named tf.Variables (lib/models/unet.ts, its EMA
 * copy in lib/ema.ts), the counterpart of train_state.ts's captureWeights for layers models.
 * Names and shapes are checked on restore, so a checkpoint of another width is refused by name.
 */
import type { NamedArray } from "./checkpoint.ts";
import { UsageError } from "./errors.ts";
import { tf } from "./tf.ts";

export async function captureVariables(variables: Record<string, tf.Variable>): Promise<NamedArray[]> {
  return await Promise.all(
    Object.entries(variables).map(async ([name, v]) => ({
      name,
      shape: v.shape,
      data: new Float32Array(await v.data()),
    })),
  );
}

export function restoreVariables(variables: Record<string, tf.Variable>, arrays: NamedArray[]): void {
  const describe = (list: { name: string; shape: number[] }[]) => list.map((t) => `${t.name} [${t.shape}]`).join(", ");
  const expected = Object.entries(variables).map(([name, v]) => ({ name, shape: v.shape }));
  const fits = expected.length === arrays.length &&
    expected.every((e, i) => e.name === arrays[i].name && e.shape.join() === arrays[i].shape.join());
  if (!fits) {
    throw new UsageError(
      `Checkpoint weights do not fit this model: it holds ${describe(arrays)}; the model has ${describe(expected)}.`,
    );
  }
  tf.tidy(() => expected.forEach(({ name }, i) => variables[name].assign(tf.tensor(arrays[i].data, arrays[i].shape))));
}
