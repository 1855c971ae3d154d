/**
 * Which exercises a lab runs that are not written yet, found before it starts: follow the lab's
 * static imports through the project's files and collect the stubbed exercises of the functions
 * and classes it imports (a namespace import takes all of a module). In the reference there are
 * none, and the check costs a few file reads.
 */
import { UsageError } from "../lib/errors.ts";
import { resolveRelative, staticImports } from "./imports.ts";
import { type Exercise, isStub, parseExercises } from "./markers.ts";

const ROOT = new URL("../", import.meta.url);

/** The stubbed exercises reachable from `entry` (a project file, relative to the root). */
export async function pendingExercises(entry: string, root: URL = ROOT): Promise<Exercise[]> {
  const wanted = new Map<string, Set<string> | "*">([[entry, "*"]]);
  const queue = [entry];
  const marked: Exercise[] = [];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    let text: string;
    try {
      text = await Deno.readTextFile(new URL(file, root));
    } catch {
      continue; // not on disk (a compiled executable): the stub's own error will name the exercise
    }
    for (const { specifier, names } of staticImports(text)) {
      const target = resolveRelative(specifier, file);
      if (!target) continue;
      const before = wanted.get(target);
      if (!before) queue.push(target);
      wanted.set(target, before === "*" || names === "*" ? "*" : new Set([...(before ?? []), ...names]));
    }
    marked.push(...parseExercises(text, file).filter(isStub));
  }
  return marked.filter((ex) => {
    const names = wanted.get(ex.file)!;
    return names === "*" || names.has(ex.symbol);
  }).sort((a, b) => a.id.localeCompare(b.id));
}

/** Throws "vae-mnist needs exercise vae-kl (lib/losses.ts), not implemented yet" when one is pending. */
export async function requireExercises(labId: string): Promise<void> {
  const pending = await pendingExercises(`labs/${labId.replaceAll("-", "_")}.ts`);
  if (!pending.length) return;
  const named = pending.map((ex) => `${ex.id} (${ex.file})`);
  const list = named.length === 1 ? named[0] : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
  throw new UsageError(
    `${labId} needs exercise${pending.length > 1 ? "s" : ""} ${list}, not implemented yet. ` +
      `Write ${pending.length > 1 ? "each" : "it"} between its // @exercise markers; \`deno task grade\` checks ${
        pending.length > 1 ? "them" : "it"
      }.`,
  );
}
