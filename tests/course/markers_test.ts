import assert from "node:assert/strict";
import { gradedTestFile } from "../../course/grader.ts";
import { staticImports } from "../../course/imports.ts";
import { findExercises, isStub, parseExercises, replaceBodies, stubBody } from "../../course/markers.ts";
import { REPO_ROOT } from "../helpers.ts";

const SOURCE = `/** Header. */
import { tf } from "./tf.ts";

/**
 * Doubles x.
 *
 * Exercise double: return 2 x.
 * Hints:
 * - Add x to itself.
 */
export function double(x: number): number {
  // @exercise double 10
  const y = x + x;
  return y;
  // @end-exercise
}

export class Counter {
  /**
   * Counts.
   * Hint: one more.
   */
  next(n: number): number {
    // @exercise counter-next 5
    return n + 1;
    // @end-exercise
  }
}
`;

Deno.test("markers - an exercise has an id, points, the exported symbol around it and the body between its markers", () => {
  const [double, next] = parseExercises(SOURCE, "lib/x.ts");
  assert.deepEqual(
    { ...double },
    {
      id: "double",
      points: 10,
      line: 12,
      symbol: "double",
      indent: "  ",
      file: "lib/x.ts",
      body: "  const y = x + x;\n  return y;",
    },
  );
  assert.equal(next.id, "counter-next");
  assert.equal(next.symbol, "Counter");
  assert.equal(next.indent, "    ");
  assert.ok(!isStub(double));
});

Deno.test("markers - replacing bodies keeps the doc comment, the signature and the markers", () => {
  const stubbed = replaceBodies(SOURCE, "lib/x.ts", stubBody);
  assert.match(
    stubbed,
    /number {\n {2}\/\/ @exercise double 10\n {2}throw new NotImplementedError\("double"\);\n {2}\/\/ @end-exercise\n}/,
  );
  assert.ok(stubbed.includes(" * Hints:\n * - Add x to itself.\n */\nexport function double(x: number): number {"));
  assert.ok(!stubbed.includes("x + x") && !stubbed.includes("n + 1"));
  assert.ok(parseExercises(stubbed, "lib/x.ts").every(isStub));
  const back = replaceBodies(
    stubbed,
    "lib/x.ts",
    (ex) => parseExercises(SOURCE, "lib/x.ts").find((e) => e.id === ex.id)!.body,
  );
  assert.equal(back, SOURCE);
});

Deno.test("markers - malformed, unbalanced, nested or hintless exercises are errors that say where", () => {
  const bad = (text: string, pattern: RegExp) => assert.throws(() => parseExercises(text, "lib/y.ts"), pattern);
  const doc = "/**\n * Hints: none.\n */\nexport function f() {\n";
  bad(`${doc}  // @exercise f\n  // @end-exercise\n}`, /lib\/y.ts:5: expected "\/\/ @exercise <id> <points>"/);
  bad(`${doc}  // @exercise F 3\n  // @end-exercise\n}`, /expected/);
  bad(`${doc}  // @exercise f 3\n}`, /lib\/y.ts:5: exercise f has no @end-exercise/);
  bad(`${doc}  // @end-exercise\n}`, /lib\/y.ts:5: @end-exercise without an @exercise/);
  bad(`${doc}  // @exercise f 3\n  // @exercise g 3\n`, /lib\/y.ts:6: @exercise inside exercise f/);
  bad("/** Nothing to say. */\nexport function f() {\n  // @exercise f 3\n  // @end-exercise\n}", /give hints/);
  bad(
    "/**\n * Hints: x.\n */\nfunction f() {\n  // @exercise f 3\n  // @end-exercise\n}",
    /exported function or class/,
  );
});

Deno.test("markers - this project marks exercises worth 100 points in all, each with its graded tests", async () => {
  const exercises = await findExercises(REPO_ROOT);
  assert.ok(exercises.length >= 7, exercises.map((ex) => ex.id).join());
  assert.equal(exercises.reduce((sum, ex) => sum + ex.points, 0), 100);
  for (const ex of exercises) await Deno.stat(`${REPO_ROOT}/${gradedTestFile(ex.id)}`);
});

Deno.test("imports - named, aliased, namespace, default, side-effect and re-exports; type-only ones are no code", () => {
  const text = `import { a, b as c, type T } from "./one.ts";
import type { U } from "./types.ts";
import * as ns from "../two.ts";
import d, { e } from "./three.ts";
import "./side.ts";
export { f } from "./four.ts";
export * from "./five.ts";
import {
  g,
  h,
} from "npm:pkg";
const s = "import { x } from './not_code.ts'";
`;
  assert.deepEqual(staticImports(text), [
    { specifier: "./one.ts", names: ["a", "b"] },
    { specifier: "../two.ts", names: "*" },
    { specifier: "./three.ts", names: "*" },
    { specifier: "./four.ts", names: ["f"] },
    { specifier: "./five.ts", names: "*" },
    { specifier: "npm:pkg", names: ["g", "h"] },
    { specifier: "./side.ts", names: "*" },
  ]);
});
