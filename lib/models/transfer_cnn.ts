/**
 * The CNN of the Keras example mnist_transfer_cnn.py (and tfjs-examples mnist-transfer-cnn), split
 * as they split it into feature layers, which transfer, and a classifier head, which is replaced:
 *
 *   x [B, 28, 28, 1] -> conv 3x3xF + ReLU [B, 26, 26, F] -> conv 3x3xF + ReLU [B, 24, 24, F]
 *     -> max-pool 2 [B, 12, 12, F] -> flatten = features [B, 144F] -> (dropout 0.25 when training)
 *     -> dense H + ReLU [B, H] -> (dropout 0.5 when training) -> dense C = logits [B, C]
 *
 * The example's sizes are F = 32, H = 128, C = 5 (digits 0-4, then 5-9). Convolutions start as
 * Keras's do (Glorot uniform, zero bias); dense layers as PyTorch's nn.Linear (lib/models/linear.ts).
 */
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";
import { linear } from "./linear.ts";

export interface TransferCnnOptions {
  /** channels of both convolutions (F) */
  filters: number;
  /** units of the head's hidden layer (H) */
  hidden: number;
  /** classes (C) */
  classes: number;
  /** every initialiser draws its seed from this generator */
  rng: Rng;
}

export interface TransferCnn {
  /** images [B, 28, 28, 1] -> features [B, 144F] */
  features: layers.LayersModel;
  /** features [B, 144F] -> logits [B, C]; its two layers are applied one by one, dropout between */
  head: layers.LayersModel;
}

/** The pooled feature map 12x12 per channel, flattened. */
export const featureSize = (filters: number) => 12 * 12 * filters;

function check(name: string, value: number) {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new Error(`transfer_cnn: expected ${name} to be a positive integer, got ${value}`);
  }
}

export function buildFeatures({ filters, rng }: Pick<TransferCnnOptions, "filters" | "rng">): layers.LayersModel {
  check("filters", filters);
  const conv = (name: string, inputShape?: number[]) =>
    layers.layers.conv2d({
      name,
      filters,
      kernelSize: 3,
      activation: "relu",
      inputShape,
      kernelInitializer: layers.initializers.glorotUniform({ seed: rng.nextUint32() }),
    });
  return layers.sequential({
    name: "features",
    layers: [
      conv("conv1", [28, 28, 1]),
      conv("conv2"),
      layers.layers.maxPooling2d({ poolSize: 2 }),
      layers.layers.flatten(),
    ],
  });
}

export function buildHead({ filters, hidden, classes, rng }: TransferCnnOptions): layers.LayersModel {
  check("filters", filters);
  check("hidden", hidden);
  check("classes", classes);
  return layers.sequential({
    name: "head",
    layers: [
      linear({ name: "hidden", units: hidden, fanIn: featureSize(filters), activation: "relu", rng }),
      linear({ name: "logits", units: classes, fanIn: hidden, rng }),
    ],
  });
}

export function buildTransferCnn(options: TransferCnnOptions): TransferCnn {
  return { features: buildFeatures(options), head: buildHead(options) };
}

/**
 * Logits [B, C] for images [B, 28, 28, 1]. With `dropoutSeed` (training), the example's dropout:
 * 0.25 on the features, 0.5 on the hidden layer, masks drawn from that seed (tfjs's seeded Dropout
 * layer would reuse one mask every step, so dropout is applied here, as in mnist_classifier.ts).
 */
export function transferLogits(model: TransferCnn, x: Tensor, dropoutSeed?: number): Tensor {
  return tf.tidy(() => headLogits(model, model.features.apply(x) as Tensor, dropoutSeed));
}

/** Logits [B, C] for features [B, 144F]: the head alone, with the same dropout as transferLogits. */
export function headLogits(model: TransferCnn, features: Tensor, dropoutSeed?: number): Tensor {
  return tf.tidy(() => {
    const drop = (t: Tensor, rate: number, salt: number) =>
      dropoutSeed === undefined ? t : tf.dropout(t, rate, undefined, (dropoutSeed + salt) >>> 0);
    const [hidden, logits] = model.head.layers;
    return logits.apply(drop(hidden.apply(drop(features, 0.25, 0)) as Tensor, 0.5, 1)) as Tensor; // [B, C]
  });
}

/** The trainable variables of `models`, for optimizer.minimize's var list. */
export const variablesOf = (...models: layers.LayersModel[]): tf.Variable[] =>
  models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));

/** Makes `target`'s weights equal to `source`'s (same architecture): the transferred start. */
export function copyWeights(source: layers.LayersModel, target: layers.LayersModel): void {
  tf.tidy(() => target.setWeights(source.getWeights().map((w) => tf.clone(w))));
}

export function disposeTransferCnn(model: TransferCnn): void {
  model.features.dispose();
  model.head.dispose();
}
