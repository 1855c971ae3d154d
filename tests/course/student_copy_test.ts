import assert from "node:assert/strict";
import { join } from "node:path";
import { main as exercisesMain } from "../../course/exercises.ts";
import { stubFile, writeStudentCopy } from "../../course/student_copy.ts";
import { REPO_ROOT, withTempDir } from "../helpers.ts";

const EXERCISE = `/**
 * Hints: add.
 */
export function add(a: number, b: number): number {
  // @exercise add 5
  return a + b;
  // @end-exercise
}
`;

Deno.test("student copy - a stubbed file imports NotImplementedError once and lets the unused names be", () => {
  const withImports = stubFile(`/** Header. */\nimport { x } from "../y.ts";\n\n${EXERCISE}`, "lib/rl/z.ts");
  const lines = withImports.split("\n");
  assert.match(lines[0], /^\/\/ deno-lint-ignore-file no-unused-vars/);
  assert.equal(lines[2], `import { NotImplementedError } from "../../course/not_implemented_error.ts";`);
  assert.equal(lines[3], `import { x } from "../y.ts";`);
  assert.ok(withImports.includes(`  throw new NotImplementedError("add");`) && !withImports.includes("a + b"));
  assert.equal(stubFile(withImports, "lib/rl/z.ts"), withImports); // stubbing a stubbed file changes nothing

  const header = stubFile(`/**\n * Header.\n */\n\n${EXERCISE}`, "top.ts").split("\n");
  assert.deepEqual(header.slice(1, 5), [
    "/**",
    " * Header.",
    " */",
    `import { NotImplementedError } from "./course/not_implemented_error.ts";`,
  ]);
});

Deno.test("student copy - refuses a non-empty folder, a file, and any folder inside the repository", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "note.txt"), "mine");
    await assert.rejects(writeStudentCopy(REPO_ROOT, dir), /refusing to write into .*: it is not empty/);
    await assert.rejects(writeStudentCopy(REPO_ROOT, join(dir, "note.txt")), /is a file, not a folder/);
  });
  await assert.rejects(writeStudentCopy(REPO_ROOT, REPO_ROOT), /inside the repository/);
  await assert.rejects(writeStudentCopy(REPO_ROOT, join(REPO_ROOT, "runs", "students")), /inside the repository/);
});

Deno.test("exercises - --list shows every exercise, its points and the total; --out is required", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (text: string) => printed.push(text);
  try {
    await exercisesMain(["--list"]);
  } finally {
    console.log = log;
  }
  assert.match(printed.join("\n"), /^ {2}gae\s+15 {2}lib\/rl\/returns\.ts:\d+$/m);
  assert.match(printed.join("\n"), /^ {2}total\s+100$/m);
  await assert.rejects(exercisesMain([]), /Name the folder for the student copy/);
});
