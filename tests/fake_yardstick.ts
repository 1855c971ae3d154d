/** A stand-in for the yardstick asset in lab tests, so that they do not depend on the trained classifier. */
import { join } from "node:path";
import { encodeCheckpoint } from "../lib/checkpoint.ts";
import { buildMnistClassifier } from "../lib/models/mnist_classifier.ts";
import { Rng } from "../lib/rng.ts";
import { captureWeights } from "../lib/train_state.ts";

/** A randomly initialised classifier, saved as the yardstick asset is: enough to exercise the metrics. */
export async function fakeYardstick(dir: string): Promise<string> {
  const classifier = buildMnistClassifier(new Rng(5));
  const path = join(dir, "yardstick.ckpt");
  const tensors = { model: await captureWeights([classifier.features, classifier.head]) };
  await Deno.writeFile(path, await encodeCheckpoint({ step: 0, epoch: 0, eventSeq: 0, tensors, meta: {} }));
  return path;
}
