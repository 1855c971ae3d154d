/**
 * The exercise marker. In the reference code, the body of a function or method that students
 * write sits between two comment lines naming the exercise and its points:
 *
 *   export function gae(input: GaeInput, options: GaeOptions): GaeResult {
 *     // @exercise gae 15
 *     ...the reference solution...
 *     // @end-exercise
 *   }
 *
 * The doc comment above states the task and gives hints (a line starting "Hint"). The student
 * copy keeps the doc comment, the signature and both marker lines, and replaces what lies
 * between the markers with a stub; the markers stay, so grading and the labs find every exercise
 * in either copy.
 */
import { join, relative, sep } from "node:path";
import { UsageError } from "../lib/errors.ts";

export interface Exercise {
  /** "gae": lowercase words joined by hyphens */
  id: string;
  points: number;
  /** relative to the project root, with "/" */
  file: string;
  /** 1-based line of the `// @exercise` marker */
  line: number;
  /** the exported function or class that holds the exercise */
  symbol: string;
  /** the marker's indentation, which the stub keeps */
  indent: string;
  /** the lines between the markers */
  body: string;
}

const BEGIN = /^(\s*)\/\/\s*@exercise\b(.*)$/;
const END = /^\s*\/\/\s*@end-exercise\s*$/;
const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const EXPORTED = /^export\s+(?:default\s+)?(?:async\s+)?(?:function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)/;

/** The stub a student copy puts between the markers. */
export const stubBody = (ex: Pick<Exercise, "id" | "indent">): string =>
  `${ex.indent}throw new NotImplementedError(${JSON.stringify(ex.id)});`;

/** True when the exercise still holds its stub (the student has not written it yet). */
export const isStub = (ex: Exercise): boolean => ex.body.includes(`new NotImplementedError(${JSON.stringify(ex.id)})`);

/** The exercises marked in one source file, checked: balanced markers, an id, points, hints. */
export function parseExercises(text: string, file: string): Exercise[] {
  const lines = text.split("\n");
  const exercises: Exercise[] = [];
  let open: { id: string; points: number; line: number; indent: string } | undefined;
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open) throw new UsageError(`${where}: @exercise inside exercise ${open.id}, which has no @end-exercise.`);
      const [id, points, ...rest] = begin[2].trim().split(/\s+/);
      if (!ID.test(id ?? "") || !/^[1-9]\d*$/.test(points ?? "") || rest.length) {
        throw new UsageError(`${where}: expected "// @exercise <id> <points>", got "${line.trim()}".`);
      }
      open = { id, points: Number(points), line: i + 1, indent: begin[1] };
    } else if (END.test(line)) {
      if (!open) throw new UsageError(`${where}: @end-exercise without an @exercise before it.`);
      const body = lines.slice(open.line, i).join("\n");
      exercises.push({ ...open, file, symbol: enclosingSymbol(lines, open.line - 1, where), body });
      checkHints(lines, open.line - 1, `exercise ${open.id} (${file}:${open.line})`);
      open = undefined;
    }
  });
  if (open) throw new UsageError(`${file}:${open.line}: exercise ${open.id} has no @end-exercise.`);
  return exercises;
}

function enclosingSymbol(lines: string[], from: number, where: string): string {
  for (let i = from; i >= 0; i--) {
    const match = EXPORTED.exec(lines[i]);
    if (match) return match[1];
  }
  throw new UsageError(`${where}: an exercise must sit inside an exported function or class.`);
}

/** The doc comment nearest above the marker must give hints: students see it in their copy. */
function checkHints(lines: string[], from: number, what: string): void {
  const close = lines.findLastIndex((line, i) => i < from && line.trim() === "*/");
  const open = lines.findLastIndex((line, i) => i < close && line.trim().startsWith("/**"));
  const doc = close > 0 && open >= 0 ? lines.slice(open, close).join("\n") : "";
  if (!/^\s*\*\s*Hints?\b/m.test(doc)) {
    throw new UsageError(`${what}: the doc comment above it must explain the task and give hints ("Hints:").`);
  }
}

/** `text` with the body of each exercise for which `replace` returns a string replaced by it. */
export function replaceBodies(text: string, file: string, replace: (ex: Exercise) => string | undefined): string {
  const exercises = parseExercises(text, file);
  const lines = text.split("\n");
  for (const ex of exercises.toReversed()) {
    const body = replace(ex);
    if (body === undefined) continue;
    const bodyLines = ex.body === "" ? 0 : ex.body.split("\n").length;
    lines.splice(ex.line, bodyLines, ...body.split("\n"));
  }
  return lines.join("\n");
}

/** Folders never scanned for exercises: tooling, tests, and what is not source. */
const NOT_SOURCE = new Set([".git", "node_modules", "runs", "scratch", "course", "tests"]);

/** True for a project file that may hold exercises (TypeScript outside course/ and tests/). */
export const mayHoldExercises = (file: string): boolean => /\.tsx?$/.test(file) && !NOT_SOURCE.has(file.split("/")[0]);

/** Every exercise of the project at `root`, ordered by file and line; ids must be unique. */
export async function findExercises(root: string): Promise<Exercise[]> {
  const exercises: Exercise[] = [];
  for await (const file of sourceFiles(root, root)) {
    exercises.push(...parseExercises(await Deno.readTextFile(join(root, file)), file));
  }
  exercises.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  checkUnique(exercises);
  return exercises;
}

export function checkUnique(exercises: Exercise[]): void {
  const seen = new Map<string, Exercise>();
  for (const ex of exercises) {
    const other = seen.get(ex.id);
    if (other) {
      throw new UsageError(`exercise ${ex.id} is marked twice: ${other.file}:${other.line} and ${ex.file}:${ex.line}.`);
    }
    seen.set(ex.id, ex);
  }
}

async function* sourceFiles(root: string, dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    const file = relative(root, path).split(sep).join("/");
    if (entry.isDirectory && !NOT_SOURCE.has(entry.name)) yield* sourceFiles(root, path);
    else if (entry.isFile && mayHoldExercises(file)) yield file;
  }
}
