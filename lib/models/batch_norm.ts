/**
 * Batch normalisation (Ioffe and Szegedy, 2015) that always normalises by the statistics of the
 * batch at hand, over every axis but the channels: y = gamma (x - mean) / sqrt(var + eps) + beta.
 * This is how DCGAN uses it (the PyTorch example never switches its networks to eval mode), so
 * it keeps no running averages: a network's weights change only when its optimizer steps.
 *
 * Written with plain ops, not tfjs's BatchNormalization layer: that layer's gradient tiles
 * 1/sqrt(var) to the full input shape with the wasm backend's Tile kernel, which took about a
 * fifth of a DCGAN step; here broadcasting does the same work.
 */
import type { LayerVariable } from "@tensorflow/tfjs-layers";
import { layers, type Tensor, tf } from "../tf.ts";

type Initializer = ReturnType<typeof layers.initializers.randomNormal>;

export interface BatchNormOptions {
  /** initialiser of the scales gamma (DCGAN: N(1, 0.02)); the shifts beta start at zero */
  scales: Initializer;
  /** PyTorch's default */
  epsilon?: number;
}

export class BatchNorm extends layers.layers.Layer {
  static className = "BatchNorm";
  private gamma?: LayerVariable;
  private beta?: LayerVariable;
  private readonly scales: Initializer;
  private readonly epsilon: number;

  constructor({ scales, epsilon = 1e-5 }: BatchNormOptions) {
    super({});
    this.scales = scales;
    this.epsilon = epsilon;
  }

  override build(inputShape: layers.Shape | layers.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as layers.Shape;
    const channels = shape.at(-1);
    if (!channels) throw new Error(`BatchNorm: expected a known channel count, got input shape [${shape}]`);
    this.gamma = this.addWeight("gamma", [channels], "float32", this.scales);
    this.beta = this.addWeight("beta", [channels], "float32", layers.initializers.zeros());
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // [..., C]
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(x, axes); // [C] each
      const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon))); // [..., C]
      return tf.add(tf.mul(normalised, this.gamma!.read()), this.beta!.read());
    });
  }

  override getConfig() {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
