/**
 * `deno task grade`: runs the graded tests of every exercise (or of --only ones) and prints a
 * table: exercise, points earned / points, checks passed, and the first failing check in plain
 * words; then the total. `--json` prints the same as JSON, `--junit FILE` also writes JUnit XML.
 * Works the same in the reference (100/100) and in a student copy.
 */
import { fileURLToPath } from "node:url";
import { didYouMean, UsageError } from "../lib/errors.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { formatFlags, parseFlags, type Spec } from "../lib/hparams.ts";
import { gradeExercises } from "./grader.ts";
import { gradeJson, gradeJunit, gradeTable } from "./grade_report.ts";
import { findExercises } from "./markers.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export const gradeFlags = {
  json: { type: "bool", default: false, help: "print the grade as JSON (top-level total) instead of the table" },
  junit: { type: "string", default: "", help: "also write the grade as JUnit XML to this file" },
  only: { type: "string", default: "", help: "grade only these exercises, comma-separated" },
  timeLimit: {
    type: "int",
    default: 60,
    min: 1,
    help: "seconds each exercise's tests may run before they are stopped",
  },
  jobs: { type: "int", default: 2, min: 1, help: "exercises graded at once" },
} as const satisfies Spec;

export async function main(args: string[]): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`usage: deno task grade [--flag value ...]\n\n${formatFlags(gradeFlags)}`);
    return;
  }
  const { config } = parseFlags(gradeFlags, args);
  let exercises = await findExercises(ROOT);
  if (!exercises.length) throw new UsageError("No exercises are marked in this project (// @exercise <id> <points>).");
  if (config.only) {
    const ids = exercises.map((ex) => ex.id);
    const only = config.only.split(",").map((id) => id.trim()).filter(Boolean);
    for (const id of only) {
      if (!ids.includes(id)) {
        throw new UsageError(`Unknown exercise '${id}'.${didYouMean(id, ids)} Exercises: ${ids.join(", ")}.`);
      }
    }
    exercises = exercises.filter((ex) => only.includes(ex.id));
  }
  if (!config.json) console.error(`grading ${exercises.length} exercise${exercises.length > 1 ? "s" : ""}...`);
  const result = await gradeExercises(ROOT, exercises, { timeLimit: config.timeLimit, jobs: config.jobs });
  if (config.junit) await Deno.writeTextFile(config.junit, gradeJunit(result));
  console.log(config.json ? gradeJson(result) : gradeTable(result));
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
