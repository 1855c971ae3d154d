/** What tfjs's op specs import as `../test_util`: the same helpers, from the project's tfjs instance. */
import { tf } from "../../../../lib/tf.ts";

export const {
  TEST_EPSILON_FLOAT16,
  createVideoElement,
  encodeStrings,
  expectArrayBuffersEqual,
  expectArraysClose,
  expectArraysEqual,
  expectNumbersClose,
  expectPromiseToFail,
  expectValuesInRange,
  play,
  testEpsilon,
} = tf.test_util;
