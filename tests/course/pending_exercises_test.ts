import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { NotImplementedError } from "../../course/not_implemented_error.ts";
import { pendingExercises } from "../../course/pending_exercises.ts";
import { UsageError } from "../../lib/errors.ts";
import { withTempDir } from "../helpers.ts";

const stubbed = (name: string, id: string) =>
  `/**
 * Hints: none.
 */
export function ${name}(): number {
  // @exercise ${id} 5
  throw new NotImplementedError("${id}");
  // @end-exercise
}
`;

Deno.test("pending exercises - follows a lab's imports to the stubbed exercises of what it imports", async () => {
  await withTempDir(async (dir) => {
    const write = async (file: string, text: string) => {
      await Deno.mkdir(join(dir, file, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, file), text);
    };
    await write("lib/returns.ts", stubbed("gae", "gae") + stubbed("discounted", "discounted-return"));
    await write("lib/loss.ts", `import { gae } from "./returns.ts";\n` + stubbed("loss", "ppo-loss"));
    await write(
      "lib/done.ts",
      "/**\n * Hints: none.\n */\nexport function done() {\n  // @exercise done 5\n  return 1;\n  // @end-exercise\n}\n",
    );
    await write("labs/ppo.ts", `import { loss } from "../lib/loss.ts";\nimport { done } from "../lib/done.ts";\n`);
    await write("labs/all.ts", `import * as returns from "../lib/returns.ts";\n`);
    await write("labs/typed.ts", `import type { gae } from "../lib/returns.ts";\n`);
    const root = pathToFileURL(dir + "/");
    const ids = async (lab: string) => (await pendingExercises(lab, root)).map((ex) => `${ex.id} ${ex.file}`);
    assert.deepEqual(await ids("labs/ppo.ts"), ["gae lib/returns.ts", "ppo-loss lib/loss.ts"]);
    assert.deepEqual(await ids("labs/all.ts"), ["discounted-return lib/returns.ts", "gae lib/returns.ts"]);
    assert.deepEqual(await ids("labs/typed.ts"), []);
    assert.deepEqual(await ids("labs/missing.ts"), []);
  });
});

Deno.test("pending exercises - a stub's error names the exercise and its file, and is a usage error", () => {
  const error = (() => {
    try {
      throw new NotImplementedError("gae");
    } catch (error) {
      return error as NotImplementedError;
    }
  })();
  assert.ok(error instanceof UsageError);
  assert.equal(error.name, "NotImplementedError");
  assert.equal(error.exercise, "gae");
  assert.equal(error.message, "not implemented yet: gae (tests/course/pending_exercises_test.ts)");
});
