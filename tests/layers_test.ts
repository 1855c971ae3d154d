/**
 * The floors of the project and the one rule between them: imports only go down. lib/ (the
 * library) imports nothing of the runner, the trainers, the labs, the dashboard or the course;
 * the runner nothing above it; the trainers nothing of labs/, web/ or course/; the dashboard
 * nothing of the labs or trainers. Every import a
 * file makes counts: static, dynamic, and the URLs it starts Workers from.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { REPO_ROOT } from "./helpers.ts";

/** Each floor, and the folders it may import from besides its own. */
const BELOW: Record<string, string[]> = {
  environments: ["lib"], // environments/ uses only lib/errors.ts; no tfjs
  lib: ["environments", "assets"], // assets/: the yardstick classifier's weights
  runner: ["lib", "environments"],
  trainers: ["runner", "lib", "environments"],
  // A sweep checks values with the labs' specs and runs them as processes; nothing imports it but cli.ts.
  sweep: ["labs", "runner", "lib", "environments"],
  // The dashboard reads runs, never the training code: runner/ only for the hook it installs;
  // deno.json and dist/ for the client bundle it builds.
  web: ["runner", "lib", "environments", "deno.json", "dist"],
};

const SPECIFIERS = [
  /(?:import|export)\s[^"']*?from\s*["'](\.{1,2}\/[^"']+)["']/g,
  /import\s*["'](\.{1,2}\/[^"']+)["']/g,
  /import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
  /new URL\(\s*["'](\.{1,2}\/[^"']+)["'],\s*import\.meta\.url\)/g,
];

/** The project folders that the relative imports of `text` (the source of `file`) reach. */
function reached(file: string, text: string): { specifier: string; folder: string }[] {
  return SPECIFIERS.flatMap((pattern) =>
    [...text.matchAll(pattern)].map(([, specifier]) => {
      const target = normalize(join(dirname(file), specifier));
      return { specifier, folder: target.split("/")[0] }; // a file at the root counts as a folder of its own
    })
  );
}

async function sourceFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(REPO_ROOT, folder))) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) files.push(...await sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

for (const [floor, below] of Object.entries(BELOW)) {
  Deno.test(`layers - ${floor}/ imports only from ${below.map((f) => `${f}/`).join(", ")}`, async () => {
    const files = await sourceFiles(floor);
    assert.ok(files.length > 0, `no source files under ${floor}/`);
    const upward: string[] = [];
    for (const file of files) {
      for (const { specifier, folder } of reached(file, await Deno.readTextFile(join(REPO_ROOT, file)))) {
        if (folder !== floor && !below.includes(folder)) upward.push(`${file} imports ${specifier} (${folder}/)`);
      }
    }
    assert.deepEqual(upward, []);
  });
}

Deno.test("layers - the import scan sees static, dynamic and Worker imports (so the checks above can fail)", () => {
  const probe = [
    `import { a } from "../web/a.ts";`,
    `import "../course/b.ts";`,
    `await import("../labs/c.ts");`,
    `new Worker(new URL("../runner/d.ts", import.meta.url));`,
    `import { e } from "./rng.ts";`,
  ].join("\n");
  assert.deepEqual(reached("lib/probe.ts", probe).map((r) => r.folder).sort(), [
    "course",
    "labs",
    "lib",
    "runner",
    "web",
  ]);
});
