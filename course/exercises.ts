/**
 * `deno task exercises --out DIR`: writes the student copy of this project into DIR (a new or
 * empty folder outside the repository): every exercise body replaced by a stub, the files that
 * would give solutions away left out, and a fresh git repository. `--list` shows the exercises.
 */
import { fileURLToPath } from "node:url";
import { UsageError } from "../lib/errors.ts";
import { exitOnError } from "../runner/exit_on_error.ts";
import { formatFlags, parseFlags, type Spec } from "../lib/hparams.ts";
import { exerciseGuides } from "./exercise_guides.ts";
import { type Exercise, findExercises } from "./markers.ts";
import { writeStudentCopy } from "./student_copy.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export const exercisesFlags = {
  out: { type: "string", default: "", help: "folder to write the student copy into (new or empty)" },
  git: { type: "bool", default: true, help: "give the copy its own git repository with one commit" },
  untracked: { type: "bool", default: false, help: "also copy files git does not track yet (never the ignored ones)" },
  list: { type: "bool", default: false, help: "list the marked exercises and their points, and write nothing" },
} as const satisfies Spec;

/** One line per exercise: id, points, where it is, and the guide sections that explain it. */
async function listing(exercises: Exercise[]): Promise<string> {
  const total = exercises.reduce((sum, ex) => sum + ex.points, 0);
  const guides = await exerciseGuides(ROOT, exercises);
  const rows = exercises.map((ex) =>
    `  ${ex.id.padEnd(26)}${String(ex.points).padStart(4)}  ${ex.file}:${ex.line}` +
    (guides.get(ex.id)!.length ? `\n${" ".repeat(34)}read: ${guides.get(ex.id)!.join("; ")}` : "")
  );
  const warning = total === 100 ? "" : `\nwarning: the points add up to ${total}, not 100`;
  return `${rows.join("\n")}\n  ${"total".padEnd(26)}${String(total).padStart(4)}${warning}`;
}

export async function main(args: string[]): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`usage: deno task exercises --out DIR\n\n${formatFlags(exercisesFlags)}`);
    return;
  }
  const { config } = parseFlags(exercisesFlags, args);
  if (config.list) {
    console.log(await listing(await findExercises(ROOT)));
    return;
  }
  if (!config.out) throw new UsageError("Name the folder for the student copy: deno task exercises --out DIR.");
  const report = await writeStudentCopy(ROOT, config.out, { git: config.git, untracked: config.untracked });
  console.log(`student copy: ${report.out} (${report.files} files${report.git ? ", a fresh git repository" : ""})`);
  console.log(`exercises stubbed:\n${await listing(report.exercises)}`);
  if (report.withheld.length) {
    console.log(`left out:\n${report.withheld.map((w) => `  ${w.file}  (${w.why})`).join("\n")}`);
  }
  console.log(`next: cd ${report.out} && deno task grade   (every exercise scores 0 until written)`);
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
