/**
 * linear(): on blas its own kernel (lib/kernels/wasm_dense_layer.ts) gives tfjs-layers' Dense's
 * output and gradients bit for bit, for every activation it takes, in fewer kernels; other
 * backends and inputs of rank 3 run Dense's own call.
 */
import assert from "node:assert/strict";
import { DENSE_LAYER } from "../../../lib/kernels/wasm_dense_layer.ts";
import { configureWasmKernels } from "../../../lib/kernels/wasm_kernels.ts";
import { linear } from "../../../lib/models/linear.ts";
import { Rng } from "../../../lib/rng.ts";
import { layers, tf } from "../../../lib/tf.ts";
import { assertSameBits, systemBlasFor, uniformInput, valuesOn } from "../../kernel_helpers.ts";

const blas = systemBlasFor("linear layer kernel tests");
const ACTIVATIONS = ["relu", "linear", "tanh"] as const;

/** linear() and a plain Dense with the same weights. */
function layerPair(activation: typeof ACTIVATIONS[number], fanIn: number, units: number) {
  const own = linear({ name: `own_${activation}`, units, fanIn, activation, rng: new Rng(3) });
  const plain = layers.layers.dense({ name: `plain_${activation}`, units, activation, inputShape: [fanIn] });
  own.build([null, fanIn]);
  plain.build([null, fanIn]);
  plain.setWeights(own.getWeights());
  return { own, plain };
}

/** The output, then the gradients of sum(y * w) in x, the kernel and the bias. */
const outputAndGradients = (layer: layers.layers.Layer, shape: number[]) => () => {
  const x = tf.mul(uniformInput(shape, 1), 2);
  const w = uniformInput([...shape.slice(0, -1), layer.getConfig().units as number], 2);
  const [kernel, bias] = layer.weights.map((v) => v.read() as tf.Variable);
  // kernel and bias reach the sum through the layer, which reads them
  const f = (x: tf.Tensor, _kernel: tf.Tensor, _bias: tf.Tensor) => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w));
  const { grads } = tf.valueAndGrads(f)([x, kernel, bias]);
  return [layer.apply(x) as tf.Tensor, ...grads];
};

/** linear()'s output and gradients on `backend` equal a plain Dense's with the same weights, bit for bit. */
async function assertSameAsDense(
  backend: string,
  { own, plain }: ReturnType<typeof layerPair>,
  shape: number[],
  label: string,
): Promise<void> {
  const actual = await valuesOn(backend, outputAndGradients(own, shape));
  const expected = await valuesOn(backend, outputAndGradients(plain, shape));
  assertSameBits(actual, expected, label);
}

Deno.test({
  name: "linear - on blas, Dense's output and gradients bit for bit through one forward kernel",
  ignore: blas === null,
  async fn() {
    configureWasmKernels({ blas });
    await tf.setBackend("wasm");
    for (const activation of ACTIVATIONS) {
      for (const [rows, fanIn, units] of [[128, 784, 40], [5, 7, 3], [1, 20, 400]]) {
        const pair = layerPair(activation, fanIn, units);
        await assertSameAsDense("wasm", pair, [rows, fanIn], `${activation} [${rows}, ${fanIn}] -> ${units}`);
        const { kernelNames } = await tf.profile(() =>
          tf.tidy(() => pair.own.apply(tf.ones([rows, fanIn])) as tf.Tensor)
        );
        assert.deepEqual(kernelNames, [DENSE_LAYER], `${activation}: one kernel forward`);
      }
    }
  },
});

Deno.test({
  name: "linear - the first layer's input gets no gradient product when it needs none",
  ignore: blas === null,
  async fn() {
    configureWasmKernels({ blas });
    await tf.setBackend("wasm");
    const { own } = layerPair("relu", 30, 10);
    const x = tf.ones([4, 30]);
    const { kernelNames } = await tf.profile(() =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(own.apply(x) as tf.Tensor));
        return Object.values(grads)[0];
      })
    );
    assert.equal(kernelNames.filter((k) => k === "BatchMatMul").length, 1, `kernels: ${kernelNames}`);
    x.dispose();
  },
});

Deno.test("linear - other backends, and inputs of rank 3, run Dense's own call with the same results", async () => {
  configureWasmKernels({ blas: null });
  for (const backend of ["cpu", "wasm"]) {
    const pair = layerPair("relu", 6, 4);
    await assertSameAsDense(backend, pair, [3, 6], backend);
    const { kernelNames } = await tf.profile(() => tf.tidy(() => pair.own.apply(tf.ones([3, 6])) as tf.Tensor));
    assert.ok(!kernelNames.includes(DENSE_LAYER), `${backend}: ${kernelNames}`);
  }
  if (blas) configureWasmKernels({ blas });
  await tf.setBackend("wasm");
  await assertSameAsDense("wasm", layerPair("tanh", 6, 4), [2, 3, 6], "rank 3");
});
