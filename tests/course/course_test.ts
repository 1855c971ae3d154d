/**
 * Course mode end to end, on one student copy shared by every step: `deno task exercises` writes
 * it without a trace of the solutions; there every exercise grades 0 with its own "not
 * implemented yet" and a lab names the exercises it needs; with the reference solutions put back
 * it grades 100; and each mutation of a solution (tests/course/mutations.ts) costs the points of
 * its exercise and of no other. Left out of the student copy (course/withheld.txt).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gradedTestFile, gradeExercises, type GradeResult } from "../../course/grader.ts";
import { resolveRelative, staticImports } from "../../course/imports.ts";
import { type Exercise, findExercises, parseExercises, replaceBodies, stubBody } from "../../course/markers.ts";
import { writeStudentCopy } from "../../course/student_copy.ts";
import { REPO_ROOT, withTempDir } from "../helpers.ts";
import { MUTATIONS } from "./mutations.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

async function deno(args: string[], cwd: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** Every text file under `dir` (relative path -> content), .git and node_modules aside. */
async function textFiles(dir: string, prefix = ""): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory && entry.name !== ".git" && entry.name !== "node_modules") {
      for (const [p, text] of await textFiles(dir, path)) files.set(p, text);
    } else if (entry.isFile) {
      try {
        files.set(path, decoder.decode(await Deno.readFile(join(dir, path))));
      } catch { /* binary */ }
    }
  }
  return files;
}

/** The project files a module reaches through its relative static imports. */
async function reachable(root: string, entry: string): Promise<Set<string>> {
  const seen = new Set([entry]);
  for (const file of seen) {
    const text = await Deno.readTextFile(join(root, file)).catch(() => "");
    for (const { specifier } of staticImports(text)) {
      const target = resolveRelative(specifier, file);
      if (target) seen.add(target);
    }
  }
  return seen;
}

const byId = (result: GradeResult) => new Map(result.exercises.map((g) => [g.exercise, g]));

Deno.test("course - a student copy holds no solution, grades 0, 100 with the solutions, and a mutation costs only its exercise", async (t) => {
  const reference = await findExercises(REPO_ROOT);
  await withTempDir(async (dir) => {
    const out = join(dir, "copy");

    await t.step(
      "deno task exercises writes the copy, and refuses a non-empty folder or one inside the repository",
      async () => {
        const made = await deno(["task", "exercises", "--out", out, "--untracked"], REPO_ROOT);
        assert.equal(made.code, 0, made.stderr);
        for (const ex of reference) assert.match(made.stdout, new RegExp(`${ex.id}\\s+${ex.points}\\s`));
        await assert.rejects(writeStudentCopy(REPO_ROOT, out), /not empty/);
        await assert.rejects(writeStudentCopy(REPO_ROOT, join(REPO_ROOT, "runs", "copy")), /inside the repository/);
      },
    );

    await t.step(
      "the copy holds stubs, no line of a solution, no withheld file, and a history of one commit",
      async () => {
        const copy = await textFiles(out);
        for (const ex of reference) {
          const [stubbed] = parseExercises(copy.get(ex.file)!, ex.file).filter((e) => e.id === ex.id);
          assert.equal(stubbed.body, stubBody(ex), `${ex.id} is not stubbed`);
        }
        // Lines a solution shares with code outside every exercise (a `});`) are no leak; any other is.
        const allowed = new Set<string>();
        for (const file of copy.keys()) {
          const text = await Deno.readTextFile(join(REPO_ROOT, file)).catch(() => "");
          const outside = reference.some((ex) => ex.file === file) ? replaceBodies(text, file, () => "") : text;
          for (const line of outside.split("\n")) allowed.add(line.trim());
        }
        const copyLines = new Map<string, string>();
        for (const [file, text] of copy) for (const line of text.split("\n")) copyLines.set(line.trim(), file);
        for (const ex of reference) {
          for (const line of ex.body.split("\n").map((l) => l.trim()).filter((l) => l.length >= 12)) {
            assert.ok(!copyLines.has(line) || allowed.has(line), `${ex.id}'s "${line}" is in ${copyLines.get(line)}`);
          }
        }
        for (
          const file of [
            "tests/lib/rl/returns_test.ts",
            "bench/reference/vae_mnist_torch.py",
            "tests/course/mutations.ts",
          ]
        ) {
          assert.ok(!copy.has(file), `${file} should be withheld`);
        }
        const log = await new Deno.Command("git", { args: ["log", "--format=%s"], cwd: out, stdout: "piped" }).output();
        assert.deepEqual(decoder.decode(log.stdout).trim().split("\n"), [
          `Student copy: ${reference.length} exercises to write`,
        ]);
      },
    );

    await t.step("the stubbed files pass deno fmt, lint and check, graded tests included", async () => {
      const stubbed = [...new Set(reference.map((ex) => ex.file))];
      for (const args of [["fmt", "--check", ...stubbed], ["lint", ...stubbed]]) {
        const result = await deno(args, out);
        assert.equal(result.code, 0, `deno ${args[0]}: ${result.stderr}`);
      }
      const checked = await deno(["check", ...stubbed, "runner/lab.ts", "tests/course/"], out);
      assert.equal(checked.code, 0, checked.stderr);
    });

    await t.step("deno task grade gives every exercise 0, each with its own 'not implemented yet'", async () => {
      const graded = await deno(["task", "grade", "--json"], out);
      assert.equal(graded.code, 0, graded.stderr);
      const result = JSON.parse(graded.stdout) as GradeResult;
      assert.equal(result.total, 0);
      assert.equal(result.max, 100);
      for (const ex of reference) {
        const grade = byId(result).get(ex.id)!;
        assert.equal(grade.earned, 0);
        assert.equal(grade.failure, `not implemented yet: ${ex.id} (${ex.file})`);
      }
    });

    await t.step("a lab names the exercises it needs before it starts", async () => {
      const lab = await deno(["run", "-A", "cli.ts", "lab", "vae-mnist", "--no-dashboard", "--runs-dir", dir], out);
      assert.equal(lab.code, 2, lab.stderr);
      assert.match(
        lab.stderr,
        /vae-mnist needs exercises vae-kl \(lib\/losses.ts\) and vae-reparameterisation \(lib\/models\/vae.ts\), not implemented yet/,
      );
      assert.ok(!lab.stderr.includes("run:"), "no run should start");
    });

    // Put the reference solutions back, then break them one at a time.
    const solved = new Map<string, string>();
    for (const file of new Set(reference.map((ex) => ex.file))) {
      const text = await Deno.readTextFile(join(out, file));
      solved.set(file, replaceBodies(text, file, (ex) => reference.find((r) => r.id === ex.id)!.body));
      await Deno.writeTextFile(join(out, file), solved.get(file)!);
    }

    await t.step("with the reference solutions back, the copy grades 100", async () => {
      const result = await gradeExercises(out, reference);
      assert.equal(result.total, 100, JSON.stringify(result.exercises.filter((g) => g.failure)));
    });

    await t.step("each mutation of a solution loses its exercise's points and no other's", async () => {
      const reaches = new Map<string, Set<string>>();
      for (const ex of reference) reaches.set(ex.id, await reachable(out, gradedTestFile(ex.id)));
      for (const ex of reference) {
        assert.ok(MUTATIONS.filter((m) => m.exercise === ex.id).length >= 3, `${ex.id} needs 3 mutations or more`);
      }
      for (const mutation of MUTATIONS) {
        const ex = reference.find((r) => r.id === mutation.exercise)!;
        assert.equal(ex.body.split(mutation.from).length, 2, `"${mutation.from}" must occur once in ${ex.id}`);
        const mutated = replaceBodies(
          solved.get(ex.file)!,
          ex.file,
          (e: Exercise) => e.id === ex.id ? e.body.replace(mutation.from, () => mutation.to) : undefined,
        );
        await Deno.writeTextFile(join(out, ex.file), mutated);
        // the mutated exercise (a short time limit for the endless one), and every other exercise
        // whose graded tests load the mutated file
        const others = reference.filter((r) => r !== ex && reaches.get(r.id)!.has(ex.file));
        const timeLimit = mutation.says === "stopped after" ? 3 : 60;
        const [own, rest] = await Promise.all([gradeExercises(out, [ex], { timeLimit }), gradeExercises(out, others)]);
        const result = byId({ ...rest, exercises: [...own.exercises, ...rest.exercises] });
        const lost = result.get(ex.id)!;
        assert.equal(lost.earned, 0, `${ex.id}, mutation "${mutation.what}": still earns ${lost.earned}`);
        assert.ok(!lost.failure!.includes("not implemented"), lost.failure);
        if (mutation.says) assert.ok(lost.failure!.includes(mutation.says), lost.failure);
        for (const other of others) {
          const grade = result.get(other.id)!;
          assert.equal(grade.earned, other.points, `${ex.id} "${mutation.what}" cost ${other.id}: ${grade.failure}`);
        }
        await Deno.writeTextFile(join(out, ex.file), solved.get(ex.file)!);
      }
    });
  });
});
