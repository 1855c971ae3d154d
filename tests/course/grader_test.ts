import assert from "node:assert/strict";
import { join } from "node:path";
import { gradeExercises, parseTap, plainFailure } from "../../course/grader.ts";
import { main as gradeMain } from "../../course/grade.ts";
import { gradeJson, gradeJunit, gradeTable } from "../../course/grade_report.ts";
import type { Exercise } from "../../course/markers.ts";
import { withTempDir } from "../helpers.ts";

const TAP = `TAP version 14
# ./tests/course/graded/gae_test.ts
ok 1 - gae - one step
not ok 2 - gae - two steps
  ---
  {"message":"AssertionError: advantages: expected [1.25, 1], got [1.5, 1]\\nDeno.test(...)\\n    at file:///x.ts:4:46","severity":"fail"}
  ...
ok 3 - gae - skipped one # SKIP
not ok 4 - gae - stub
  ---
  {"message":"NotImplementedError: not implemented yet: gae (lib/rl/returns.ts)\\n    at gae","severity":"fail"}
  ...
1..4
`;

Deno.test("grader - reads checks and their messages from deno test's TAP, skipping ignored tests", () => {
  const { checks, finished } = parseTap(TAP);
  assert.ok(finished);
  assert.ok(!parseTap(TAP.replace("1..4\n", "")).finished); // the process ended early
  assert.deepEqual(checks.map((c) => [c.name, c.ok]), [["gae - one step", true], ["gae - two steps", false], [
    "gae - stub",
    false,
  ]]);
  assert.match(checks[1].message!, /^AssertionError: advantages: expected \[1.25, 1\], got \[1.5, 1\]\n/);
});

Deno.test("grader - says a failure in plain words: the check and its message, or what is not implemented", () => {
  const [, two, stub] = parseTap(TAP).checks;
  assert.equal(plainFailure("gae", two), "two steps: advantages: expected [1.25, 1], got [1.5, 1]");
  assert.equal(plainFailure("gae", stub), "not implemented yet: gae (lib/rl/returns.ts)");
  assert.equal(plainFailure("ppo", stub), "needs exercise gae first: not implemented yet: gae (lib/rl/returns.ts)");
  const crash = { name: "ppo - loss", ok: false, message: "TypeError: x is undefined\n  at f" };
  assert.equal(plainFailure("ppo", crash), "loss: TypeError: x is undefined");
});

const exercise = (id: string, points: number): Exercise => ({
  id,
  points,
  file: "lib/x.ts",
  line: 1,
  symbol: "x",
  indent: "",
  body: "",
});

Deno.test("grader - each exercise in its own process: a pass, a failure, an endless loop, a crash and missing tests cost only their own points", async () => {
  await withTempDir(async (root) => {
    const graded = join(root, "tests", "course", "graded");
    await Deno.mkdir(graded, { recursive: true });
    const write = (id: string, body: string) => Deno.writeTextFile(join(graded, `${id}_test.ts`), body);
    await write("passes", `Deno.test("passes - a", () => {}); Deno.test("passes - b", () => {});`);
    await write(
      "fails",
      `Deno.test("fails - a", () => {}); Deno.test("fails - b", () => { throw new Error("wrong"); });`,
    );
    await write("hangs", `Deno.test("hangs - a", () => {}); Deno.test("hangs - b", () => { for (;;); });`);
    await write(
      "crashes",
      `Deno.test("crashes - a", () => {}); Deno.test("crashes - b", () => Deno.kill(Deno.pid, "SIGKILL"));`,
    );
    const others = [exercise("passes", 40), exercise("fails", 30), exercise("untested", 5), exercise("crashes", 5)];
    // a short limit for the endless one only, so that a busy machine cannot stop the others
    const [ended, endless] = await Promise.all([
      gradeExercises(root, others),
      gradeExercises(root, [exercise("hangs", 20)], { timeLimit: 2 }),
    ]);
    const [passes, fails, untested, crashes] = ended.exercises;
    const [hangs] = endless.exercises;
    assert.deepEqual([ended.total, ended.max, endless.total], [40, 80, 0]);
    assert.equal(crashes.earned, 0);
    assert.match(
      crashes.failure!,
      /^the graded tests ended early \(exit code 137\): the process crashed or was killed$/,
    );
    assert.deepEqual([passes.earned, passes.checks, passes.failure], [40, { passed: 2, total: 2 }, undefined]);
    assert.deepEqual([fails.earned, fails.checks, fails.failure], [0, { passed: 1, total: 2 }, "b: Error: wrong"]);
    assert.equal(hangs.earned, 0);
    assert.match(
      hangs.failure!,
      /^stopped after 2 s( \(after 1 finished check\))?: the exercise did not finish in time/,
    );
    assert.equal(untested.failure, "no graded tests: tests/course/graded/untested_test.ts is missing");
  });
});

Deno.test("grade report - a table, JSON with a top-level total, and JUnit with points as properties", () => {
  const result = {
    total: 10,
    max: 25,
    exercises: [
      {
        exercise: "vae-kl",
        file: "lib/losses.ts",
        points: 10,
        earned: 10,
        checks: { passed: 4, total: 4 },
        seconds: 0.4,
      },
      {
        exercise: "gae",
        file: "lib/rl/returns.ts",
        points: 15,
        earned: 0,
        checks: { passed: 0, total: 5 },
        failure: `one step: expected <2.3> & "more"`,
        seconds: 0.3,
      },
    ],
  };
  const table = gradeTable(result).split("\n");
  assert.match(table[0], /^exercise\s+points\s+checks\s+first failing check$/);
  assert.match(table[1], /^vae-kl\s+10\/10\s+4\/4$/);
  assert.match(table[2], /^gae\s+0\/15\s+0\/5 {2}one step: expected <2.3> & "more"$/);
  assert.match(table.at(-1)!, /^total\s+10\/25$/);
  assert.equal(JSON.parse(gradeJson(result)).total, 10);
  const junit = gradeJunit(result);
  assert.ok(junit.includes(`<testsuites name="course grade 10/25" tests="2" failures="1"`));
  assert.ok(junit.includes(`<property name="total" value="10"/><property name="max" value="25"/>`));
  assert.ok(junit.includes(`<failure message="one step: expected &lt;2.3&gt; &amp; &quot;more&quot;">`));
  assert.equal((junit.match(/<testcase /g) ?? []).length, 2);
});

Deno.test("grade - --only names exercises; an unknown one is a usage error with the nearest names", async () => {
  await assert.rejects(gradeMain(["--only", "gea"]), /Unknown exercise 'gea'\. Did you mean gae\?/);
  await assert.rejects(gradeMain(["--time-limit", "0"]), /--time-limit: below the minimum/);
});
