/**
 * The student copy (`deno task exercises --out DIR`): the project's tracked files (git ls-files),
 * with the body of every exercise replaced by a stub that throws NotImplementedError, and the
 * files that would give solutions away left out (course/withheld.txt, and the reference's own
 * tests of exercise code). The copy gets a git repository of its own with a single commit, so no
 * history of the reference comes along; the exercise markers stay, so grading works there too.
 */
import { dirname, join, posix, resolve, sep } from "node:path";
import { UsageError } from "../lib/errors.ts";
import { resolveRelative, staticImports } from "./imports.ts";
import { checkUnique, type Exercise, mayHoldExercises, parseExercises, replaceBodies, stubBody } from "./markers.ts";

export interface CopyReport {
  out: string;
  /** files written */
  files: number;
  exercises: Exercise[];
  withheld: { file: string; why: string }[];
  /** whether the copy got its own git repository */
  git: boolean;
}

const STUB_MODULE = "course/not_implemented_error.ts";
const LINT_DIRECTIVE =
  "// deno-lint-ignore-file no-unused-vars -- exercise stubs leave parameters and imports unused until written";

export interface CopyOptions {
  /** give the copy its own git repository with one commit (default true) */
  git?: boolean;
  /** also copy files git does not track yet, ignored ones excepted (default false) */
  untracked?: boolean;
}

export async function writeStudentCopy(
  from: string,
  out: string,
  { git = true, untracked = false }: CopyOptions = {},
): Promise<CopyReport> {
  from = await Deno.realPath(from);
  out = resolve(out);
  await checkDestination(from, out);
  const tracked = await projectFiles(from, untracked);
  const texts = new Map<string, string>();
  for (const file of tracked.filter(mayHoldExercises)) texts.set(file, await Deno.readTextFile(join(from, file)));
  const exercises = [...texts].flatMap(([file, text]) => parseExercises(text, file));
  checkUnique(exercises);
  const withheld = await withheldFiles(from, tracked, new Set(exercises.map((ex) => ex.file)));
  const skip = new Set(withheld.map((w) => w.file));

  await Deno.mkdir(out, { recursive: true });
  let files = 0;
  for (const file of tracked.filter((f) => !skip.has(f))) {
    const source = join(from, file), target = join(out, file);
    await Deno.mkdir(dirname(target), { recursive: true });
    if (exercises.some((ex) => ex.file === file)) await Deno.writeTextFile(target, stubFile(texts.get(file)!, file));
    else await Deno.copyFile(source, target);
    await Deno.chmod(target, (await Deno.stat(source)).mode! & 0o777);
    files++;
  }
  return { out, files, exercises, withheld, git: git && await initRepository(out, exercises.length) };
}

/** `text` with every exercise body stubbed, the stub's import added, and unused names allowed. */
export function stubFile(text: string, file: string): string {
  const lines = replaceBodies(text, file, stubBody).split("\n");
  let path = posix.relative(posix.dirname(file), STUB_MODULE);
  if (!path.startsWith(".")) path = `./${path}`;
  const importLine = `import { NotImplementedError } from "${path}";`;
  if (!lines.includes(importLine)) {
    const firstImport = lines.findIndex((line) => /^import\s/.test(line));
    const headerEnd = lines[0]?.startsWith("/**") ? lines.findIndex((line) => line.trim() === "*/") + 1 : 0;
    lines.splice(firstImport >= 0 ? firstImport : headerEnd, 0, importLine);
  }
  if (lines[0] !== LINT_DIRECTIVE) lines.unshift(LINT_DIRECTIVE);
  return lines.join("\n");
}

async function checkDestination(from: string, out: string): Promise<void> {
  let existing = out;
  while (!(await exists(existing))) existing = dirname(existing);
  const real = await Deno.realPath(existing);
  if (real === from || real.startsWith(from + sep)) {
    throw new UsageError(
      `refusing to write the student copy inside the repository (${from}): choose --out outside it.`,
    );
  }
  if (existing === out) {
    if (!(await Deno.stat(out)).isDirectory) throw new UsageError(`--out ${out} is a file, not a folder.`);
    for await (const _ of Deno.readDir(out)) {
      throw new UsageError(`refusing to write into ${out}: it is not empty. Name a new or empty folder.`);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The tracked files present in the working tree (their current content goes into the copy). */
async function projectFiles(root: string, untracked: boolean): Promise<string[]> {
  const args = ["ls-files", "-z", "--cached", ...(untracked ? ["--others", "--exclude-standard"] : [])];
  const output = await new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "piped" }).output()
    .catch(() => undefined);
  if (!output?.success) {
    throw new UsageError(`${root} is not a git repository: the student copy takes the tracked files (git ls-files).`);
  }
  const files = new TextDecoder().decode(output.stdout).split("\0").filter(Boolean);
  const present = await Promise.all(
    files.map((file) => Deno.lstat(join(root, file)).then((s) => s.isFile, () => false)),
  );
  return [...new Set(files.filter((_, i) => present[i]))];
}

/** Files left out: those course/withheld.txt lists, and tests that import a file with an exercise. */
async function withheldFiles(root: string, files: string[], exerciseFiles: Set<string>) {
  const listed = await Deno.readTextFile(join(root, "course", "withheld.txt")).catch(() => "");
  const patterns = listed.split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
  const withheld: { file: string; why: string }[] = [];
  for (const file of files) {
    if (patterns.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p))) {
      withheld.push({ file, why: "listed in course/withheld.txt" });
    } else if (file.startsWith("tests/") && !file.startsWith("tests/course/") && /\.tsx?$/.test(file)) {
      const tested = staticImports(await Deno.readTextFile(join(root, file)))
        .map((i) => resolveRelative(i.specifier, file)).find((target) => target && exerciseFiles.has(target));
      if (tested) withheld.push({ file, why: `tests ${tested}, which holds exercises` });
    }
  }
  return withheld;
}

/** A fresh repository with the copy as its one commit, so students can diff their work. */
async function initRepository(dir: string, exercises: number): Promise<boolean> {
  // Without GIT_DIR and its kin, which would point git back at the reference's repository.
  const env = Object.fromEntries(Object.entries(Deno.env.toObject()).filter(([name]) => !name.startsWith("GIT_")));
  const git = (...args: string[]) =>
    new Deno.Command("git", {
      args: ["-c", "user.name=course", "-c", "user.email=course@localhost", "-c", "commit.gpgsign=false", ...args],
      cwd: dir,
      clearEnv: true,
      env,
      stdout: "null",
      stderr: "piped",
    }).output().then((o) => o.success, () => false);
  return await git("init", "-q") && await git("add", "-A") &&
    await git("commit", "-q", "-m", `Student copy: ${exercises} exercises to write`);
}
