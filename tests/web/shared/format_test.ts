/** Formatting of values, ticks, sizes and durations. */
import assert from "node:assert/strict";
import { formatBytes, formatDuration, formatTicks, formatValue } from "../../../web/shared/format.ts";

Deno.test("format - ticks use SI suffixes from 10k and enough digits to stay distinct", () => {
  assert.deepEqual(formatTicks([2000, 8000, 10000, 12000]), ["2000", "8000", "10k", "12k"]);
  assert.deepEqual(formatTicks([7_839_000, 7_839_100, 7_839_200]), ["7.839M", "7.8391M", "7.8392M"]);
  assert.deepEqual(formatTicks([0, 0.5, 1]), ["0", "0.5", "1"]);
  assert.deepEqual(formatTicks([-2000, -1000, 0]), ["-2000", "-1000", "0"]);
});

Deno.test("format - values, bytes and durations read as a researcher expects", () => {
  assert.equal(formatValue(130.6012), "130.6");
  assert.equal(formatValue(0.00001234), "1.234e-5");
  assert.equal(formatValue(null), "–");
  assert.equal(formatValue(NaN), "NaN");
  assert.equal(formatBytes(7_839_016), "7.5 MiB");
  assert.equal(formatDuration(65_000), "1m05s");
  assert.equal(formatDuration(2 * 3600_000 + 7 * 60_000), "2h07m");
});
