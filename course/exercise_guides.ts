/**
 * Where each exercise is explained: the sections of the lab guides (labs/*.md) whose code links
 * reach the exercise's lines, e.g. vae-kl -> "labs/vae_mnist.md § The model". Found from the links
 * themselves, so a guide that links the function a student writes points the student to it.
 */
import { join } from "node:path";
import { resolveCodeLink } from "../web/guides/code_refs.ts";
import { guideMarkdown, type Token } from "../web/guides/markdown.ts";
import type { Exercise } from "./markers.ts";

/** For each exercise id, "labs/<guide>.md § <section>" for every guide section that links its code. */
export async function exerciseGuides(root: string, exercises: Exercise[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>(exercises.map((ex) => [ex.id, []]));
  const guides = (await Array.fromAsync(Deno.readDir(join(root, "labs"))))
    .map((entry) => entry.name).filter((name) => name.endsWith(".md")).sort();
  for (const name of guides) {
    for (const { section, path, start, end } of await linkedRanges(root, `labs/${name}`)) {
      for (const ex of exercises) {
        const where = `labs/${name} § ${section}`;
        if (ex.file === path && ex.line >= start && ex.line <= end && !found.get(ex.id)!.includes(where)) {
          found.get(ex.id)!.push(where);
        }
      }
    }
  }
  return found;
}

/** Every resolved code link of a guide with the section (h2) it sits in. */
async function linkedRanges(root: string, guide: string) {
  const tokens = guideMarkdown().parse(await Deno.readTextFile(join(root, guide)), {});
  const ranges: { section: string; path: string; start: number; end: number }[] = [];
  let section = "";
  for (const [i, token] of tokens.entries() as IterableIterator<[number, Token]>) {
    if (token.type === "heading_open" && token.tag === "h2") section = tokens[i + 1].content.trim();
    for (const child of token.children ?? []) {
      const target = child.type === "link_open" ? await resolveCodeLink(root, child.attrGet("href") ?? "") : null;
      if (target?.lines) ranges.push({ section, path: target.path, ...target.lines });
    }
  }
  return ranges;
}
