/**
 * Grading: each exercise's graded tests (tests/course/graded/<exercise>_test.ts) run in a `deno test`
 * process of their own, under a time limit, so a throwing, crashing or endless exercise costs
 * only its own points. An exercise earns its points when every one of its checks passes. The TAP
 * reporter streams each check's outcome as it finishes, so even a killed run tells which checks
 * passed before it hung.
 */
import { join } from "node:path";
import type { Exercise } from "./markers.ts";

export interface Check {
  name: string;
  ok: boolean;
  /** the error's message, for a failed check */
  message?: string;
}

export interface ExerciseGrade {
  exercise: string;
  file: string;
  points: number;
  earned: number;
  checks: { passed: number; total: number };
  /** the first failing check, in plain words; absent when the exercise earned its points */
  failure?: string;
  seconds: number;
}

export interface GradeResult {
  total: number;
  max: number;
  exercises: ExerciseGrade[];
}

export interface GradeOptions {
  /** seconds each exercise's tests may take before they are stopped */
  timeLimit?: number;
  /** exercises graded at once */
  jobs?: number;
}

export const gradedTestFile = (exercise: string): string =>
  `tests/course/graded/${exercise.replaceAll("-", "_")}_test.ts`;

export async function gradeExercises(
  root: string,
  exercises: Exercise[],
  { timeLimit = 60, jobs = 2 }: GradeOptions = {},
): Promise<GradeResult> {
  const grades: ExerciseGrade[] = new Array(exercises.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < exercises.length; i = next++) grades[i] = await gradeOne(root, exercises[i], timeLimit);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, exercises.length)) }, worker));
  return {
    total: grades.reduce((sum, g) => sum + g.earned, 0),
    max: grades.reduce((sum, g) => sum + g.points, 0),
    exercises: grades,
  };
}

async function gradeOne(root: string, ex: Exercise, timeLimit: number): Promise<ExerciseGrade> {
  const started = performance.now();
  const testFile = gradedTestFile(ex.id);
  const grade = (checks: Check[], failure?: string): ExerciseGrade => ({
    exercise: ex.id,
    file: ex.file,
    points: ex.points,
    earned: failure ? 0 : ex.points,
    checks: { passed: checks.filter((c) => c.ok).length, total: checks.length },
    failure,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
  try {
    await Deno.stat(join(root, testFile));
  } catch {
    return grade([], `no graded tests: ${testFile} is missing`);
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", "--reporter=tap", testFile],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeLimit * 1000);
  const output = await child.output();
  clearTimeout(timer);
  const { checks, finished } = parseTap(new TextDecoder().decode(output.stdout));
  const failed = checks.find((c) => !c.ok);
  if (timedOut) {
    const after = checks.length ? ` (after ${checks.length} finished check${checks.length > 1 ? "s" : ""})` : "";
    return grade(checks, `stopped after ${timeLimit} s${after}: the exercise did not finish in time; an endless loop?`);
  }
  if (failed) return grade(checks, plainFailure(ex.id, failed));
  if (!checks.length) {
    return grade(
      checks,
      output.success
        ? `no graded checks in ${testFile}`
        : `the graded tests could not run: ${firstError(output.stderr)}`,
    );
  }
  if (!finished || !output.success) {
    return grade(checks, `the graded tests ended early (exit code ${output.code}): the process crashed or was killed`);
  }
  return grade(checks);
}

/**
 * The checks of a `deno test --reporter=tap` run, in the order they finished, and whether the run
 * reached its closing plan line ("1..N", N counting ignored tests too).
 */
export function parseTap(tap: string): { checks: Check[]; finished: boolean } {
  const checks: Check[] = [];
  const lines = tap.split("\n");
  let reported = 0;
  lines.forEach((line, i) => {
    const result = /^(not ok|ok) \d+ - (.*?)(\s+# SKIP.*)?$/.exec(line);
    if (result) reported++;
    if (!result || result[3]) return;
    const check: Check = { name: result[2], ok: result[1] === "ok" };
    if (!check.ok && lines[i + 1]?.trim() === "---") {
      try {
        check.message = stripAnsi(JSON.parse(lines[i + 2]).message ?? "");
      } catch {
        check.message = lines[i + 2]?.trim();
      }
    }
    checks.push(check);
  });
  const plan = /^1\.\.(\d+)$/m.exec(tap);
  return { checks, finished: plan !== null && Number(plan[1]) === reported };
}

/**
 * A failed check in plain words: "not implemented yet: gae (lib/rl/returns.ts)" for a stub, else
 * the check's name and the first line of its message ("worked example: expected 2.75, got 3").
 */
export function plainFailure(exercise: string, check: Check): string {
  const first = (check.message ?? "failed").split("\n")[0].replace(/^Uncaught /, "");
  const name = check.name.startsWith(`${exercise} - `) ? check.name.slice(exercise.length + 3) : check.name;
  const stub = /^NotImplementedError: (not implemented yet: ([\w-]+).*)$/.exec(first);
  if (stub) return stub[2] === exercise ? stub[1] : `needs exercise ${stub[2]} first: ${stub[1]}`;
  return `${name}: ${first.replace(/^AssertionError: /, "")}`;
}

// deno-lint-ignore no-control-regex
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

function firstError(stderr: Uint8Array): string {
  const lines = stripAnsi(new TextDecoder().decode(stderr)).split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "deno test failed without a message";
}
