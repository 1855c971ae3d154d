/**
 * Batch normalisation (Ioffe and Szegedy, 2015) that always normalises by the statistics of the
 * batch at hand, over every axis but the channels: y = gamma (x - mean) / sqrt(var + eps) + beta.
 * This is how DCGAN uses it (the PyTorch example never switches its networks to eval mode), so
 * it keeps no running averages: a network's weights change only when its optimizer steps.
 *
 * The activation that follows (DCGAN: ReLU in G, LeakyReLU in D) is part of the layer, so that
 * normalisation and activation run as one kernel forward and one backward where the backend has
 * them (./norm_activation.ts): composed of tfjs ops they were half the kernels of a DCGAN step
 * (877 -> 424 per step).
 * Not tfjs's BatchNormalization layer: its gradient tiles 1/sqrt(var) to the full input shape with
 * the wasm backend's Tile kernel, which took about a fifth of a DCGAN step.
 */
import type { LayerVariable } from "@tensorflow/tfjs-layers";
import { layers, type Tensor, tf } from "../tf.ts";
import { normActivation, type NormActivationOptions } from "./norm_activation.ts";

type Initializer = ReturnType<typeof layers.initializers.randomNormal>;

export interface BatchNormOptions {
  /** initialiser of the scales gamma (DCGAN: N(1, 0.02)); the shifts beta start at zero */
  scales: Initializer;
  /** PyTorch's default */
  epsilon?: number;
  /** applied after the shift (default linear: none) */
  activation?: "linear" | "relu" | "leakyrelu";
  /** leakyrelu's slope below zero */
  alpha?: number;
}

export class BatchNorm extends layers.layers.Layer {
  static className = "BatchNorm";
  private gamma?: LayerVariable;
  private beta?: LayerVariable;
  private readonly scales: Initializer;
  private readonly options: Required<NormActivationOptions>;

  constructor({ scales, epsilon = 1e-5, activation = "linear", alpha = 0.2 }: BatchNormOptions) {
    super({});
    this.scales = scales;
    this.options = { over: "batch", epsilon, activation, alpha };
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
    const x = Array.isArray(inputs) ? inputs[0] : inputs; // [..., C]
    return tf.tidy(() => normActivation(x, this.gamma!.read(), this.beta!.read(), this.options));
  }

  override getConfig() {
    const { epsilon, activation, alpha } = this.options;
    return { ...super.getConfig(), epsilon, activation, alpha };
  }
}
