/**
 * A grade, written three ways: the table students read, JSON with a top-level `total`, and JUnit
 * XML for a course platform (one test case per exercise, points as properties).
 */
import type { GradeResult } from "./grader.ts";

const WIDTH = 110;

export function gradeTable(result: GradeResult): string {
  const idWidth = Math.max(8, ...result.exercises.map((g) => g.exercise.length)) + 2;
  const row = (exercise: string, points: string, checks: string, failure: string) =>
    `${exercise.padEnd(idWidth)}${points.padStart(7)}${checks.padStart(8)}  ${failure}`.trimEnd();
  const lines = [row("exercise", "points", "checks", "first failing check")];
  for (const g of result.exercises) {
    const failure = g.failure && g.failure.length > WIDTH ? `${g.failure.slice(0, WIDTH - 3)}...` : g.failure ?? "";
    lines.push(row(g.exercise, `${g.earned}/${g.points}`, `${g.checks.passed}/${g.checks.total}`, failure));
  }
  lines.push("", row("total", `${result.total}/${result.max}`, "", ""));
  return lines.join("\n");
}

export function gradeJson(result: GradeResult): string {
  return JSON.stringify(result, null, 2);
}

export function gradeJunit(result: GradeResult): string {
  const failures = result.exercises.filter((g) => g.failure).length;
  const seconds = result.exercises.reduce((sum, g) => sum + g.seconds, 0).toFixed(1);
  const property = (name: string, value: number) => `<property name="${name}" value="${value}"/>`;
  const cases = result.exercises.map((g) => {
    const failure = g.failure
      ? `\n      <failure message="${xml(g.failure)}">${
        xml(`${g.exercise}: ${g.earned}/${g.points} points. ${g.failure}`)
      }</failure>`
      : "";
    return `    <testcase name="${xml(g.exercise)}" classname="${xml(g.file)}" time="${g.seconds}">
      <properties>${property("points", g.points)}${property("earned", g.earned)}</properties>${failure}
    </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="course grade ${result.total}/${result.max}" tests="${cases.length}" failures="${failures}" time="${seconds}">
  <testsuite name="course" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds}">
    <properties>${property("total", result.total)}${property("max", result.max)}</properties>
${cases.join("\n")}
  </testsuite>
</testsuites>
`;
}

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "");
