/**
 * The project's MNIST classifier, a small CNN in the style of the Keras mnist_cnn example: the
 * yardstick for generated digits (lib/sample_quality.ts reads its 128 penultimate features and
 * its class probabilities).
 *
 *   x [B, 28, 28, 1] -> conv 3x3x32 + ReLU [B, 26, 26, 32] -> max-pool 2 [B, 13, 13, 32]
 *     -> conv 3x3x64 + ReLU [B, 11, 11, 64] -> max-pool 2 [B, 5, 5, 64] -> flatten [B, 1600]
 *     -> dense 128 + ReLU = features [B, 128] -> (dropout 0.5 when training) -> dense 10 = logits [B, 10]
 */
import type { Rng } from "../rng.ts";
import { layers, type Tensor, tf } from "../tf.ts";
import { linear } from "./linear.ts";

export const FEATURE_SIZE = 128;

export interface MnistClassifier {
  /** images [B, 28, 28, 1] -> the 128 penultimate features */
  features: layers.LayersModel;
  /** features [B, 128] -> logits [B, 10] */
  head: layers.LayersModel;
}

export function buildMnistClassifier(rng: Rng): MnistClassifier {
  const conv = (filters: number, inputShape?: number[]) =>
    layers.layers.conv2d({
      filters,
      kernelSize: 3,
      activation: "relu",
      inputShape,
      kernelInitializer: layers.initializers.heUniform({ seed: rng.nextUint32() }),
    });
  const features = layers.sequential({
    name: "features",
    layers: [
      conv(32, [28, 28, 1]),
      layers.layers.maxPooling2d({ poolSize: 2 }),
      conv(64),
      layers.layers.maxPooling2d({ poolSize: 2 }),
      layers.layers.flatten(),
      linear({ name: "fc", units: FEATURE_SIZE, fanIn: 1600, activation: "relu", rng }),
    ],
  });
  const head = layers.sequential({
    name: "head",
    layers: [linear({ name: "logits", units: 10, fanIn: FEATURE_SIZE, rng })],
  });
  return { features, head };
}

/**
 * Logits [B, 10] for images [B, 28, 28, 1]. With `dropoutSeed` (training), dropout 0.5 on the
 * features, its mask drawn from that seed: tfjs's Dropout layer would reuse one fixed mask for
 * every step when seeded, and Math.random when not, so dropout is applied here instead.
 */
export function classifierLogits(c: MnistClassifier, x: Tensor, dropoutSeed?: number): Tensor {
  return tf.tidy(() => {
    const features = c.features.apply(x) as Tensor;
    return c.head.apply(
      dropoutSeed === undefined ? features : tf.dropout(features, 0.5, undefined, dropoutSeed),
    ) as Tensor;
  });
}
