/**
 * Checks for the graded tests. A failure reads as one plain sentence, which `deno task grade`
 * shows as the exercise's first failing check: what went in, what was expected, what came out.
 */
import { AssertionError } from "node:assert";

/** A number to 4 significant digits, or a short list of them. */
export function show(value: ArrayLike<number> | number): string {
  const one = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));
  if (typeof value === "number") return one(value);
  const items = Array.from(value).slice(0, 8).map(one);
  return `[${items.join(", ")}${value.length > 8 ? `, ... (${value.length} values)` : ""}]`;
}

export function fail(message: string): never {
  throw new AssertionError({ message });
}

export function expectTrue(condition: boolean, message: string): asserts condition {
  if (!condition) fail(message);
}

/** |actual - expected| <= atol + rtol * |expected| everywhere, else "<what>: expected E, got A". */
export function expectClose(
  what: string,
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  { rtol = 1e-4, atol = 1e-5 } = {},
): void {
  const a = typeof actual === "number" ? [actual] : Array.from(actual);
  const e = typeof expected === "number" ? [expected] : Array.from(expected);
  if (a.length !== e.length) fail(`${what}: expected ${e.length} values, got ${a.length}`);
  // NaN matches NaN: a check against another exercise's output should not fail for that one's bug
  const close = a.every((x, i) => Math.abs(x - e[i]) <= atol + rtol * Math.abs(e[i]) || (isNaN(x) && isNaN(e[i])));
  if (!close) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}
