/** The weight average: ema <- d ema + (1 - d) w, against the formula run by hand, with and without warm-up. */
import assert from "node:assert/strict";
import { useBackend } from "../../lib/backend.ts";
import { Ema, emaDecay } from "../../lib/ema.ts";
import { tf } from "../../lib/tf.ts";
import { assertClose } from "../helpers.ts";

await useBackend("wasm");

Deno.test("ema - each update moves the average by (1 - decay) towards the current weights", () => {
  const w = { a: tf.variable(tf.tensor1d([1, 2])), b: tf.variable(tf.scalar(-4)) };
  const ema = new Ema(w, { decay: 0.9 });
  let expected = [1, 2, -4]; // the average starts as a copy
  const values = [[3, 0, 1], [-1, 5, 2], [0, 0, 0]];
  values.forEach(([a0, a1, b], n) => {
    w.a.assign(tf.tensor1d([a0, a1]));
    w.b.assign(tf.scalar(b));
    ema.update(n);
    expected = expected.map((e, i) => 0.9 * e + 0.1 * [a0, a1, b][i]);
    assertClose([...ema.weights.a.dataSync(), ...ema.weights.b.dataSync()], expected, { rtol: 1e-6 });
  });
  assert.deepEqual(Array.from(w.a.dataSync()), [0, 0], "the tracked weights are untouched");
  ema.dispose();
  tf.dispose(Object.values(w));
});

Deno.test("ema - with warm-up the decay is min(decay, (1 + n) / (10 + n)): 0.1 at first, 0.999 from n = 8990 on", () => {
  const options = { decay: 0.999, warmup: true };
  assert.equal(emaDecay(options, 0), 0.1);
  assertClose(emaDecay(options, 90), 91 / 100, { rtol: 1e-12 });
  assert.ok(emaDecay(options, 8980) < 0.999);
  assert.equal(emaDecay(options, 9000), 0.999);
  assert.equal(emaDecay({ decay: 0.999 }, 0), 0.999);
  const w = { a: tf.variable(tf.scalar(0)) };
  const ema = new Ema(w, options);
  w.a.assign(tf.scalar(10));
  ema.update(0);
  assertClose(ema.weights.a.dataSync()[0], 9, { rtol: 1e-6 });
  assert.throws(() => new Ema(w, { decay: 1 }), /decay must be in \[0, 1\), got 1/);
  ema.dispose();
  w.a.dispose();
});
