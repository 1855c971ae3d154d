/**
 * Every lab's guide (labs/<lab_id>.md) is checked against the code and the runs it explains: its
 * four sections are there; every display equation is followed by a code link to what computes
 * it; every code link names a file of the project's source and a declaration or region in it
 * (renaming the function fails this); every TeX formula renders under KaTeX's throwOnError; and
 * every event key it links is one the lab logs, in tiny smoke runs of the lab and its variants
 * (tests/labs/tiny_runs.ts) with the sample metrics on.
 *
 *   deno test -A tests/labs/guides_test.ts
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LABS } from "../../labs/mod.ts";
import { guideFile } from "../../runner/guide_file.ts";
import { readEvents } from "../../lib/run/run_reader.ts";
import { findSymbol, resolveCodeLink, sourceFile } from "../../web/guides/code_refs.ts";
import { guideMarkdown, renderTex, type Token } from "../../web/guides/markdown.ts";
import { REPO_ROOT, withTempDir } from "../helpers.ts";
import { TINY } from "./tiny_runs.ts";

const SECTIONS = ["The idea", "The model", "What to watch for", "Experiments to try"];

/** What a guide says, read off its Markdown tokens in order. */
interface Outline {
  sections: string[];
  tex: { source: string; display: boolean }[];
  codeLinks: string[];
  keyLinks: string[];
  /** display equations with no code link after them before the next equation or heading */
  unlinkedEquations: string[];
}

function outline(markdown: string): Outline {
  const result: Outline = { sections: [], tex: [], codeLinks: [], keyLinks: [], unlinkedEquations: [] };
  let pending: string | null = null; // the last display equation, until a code link follows it
  const settle = () => {
    if (pending !== null) result.unlinkedEquations.push(pending);
    pending = null;
  };
  const tokens = guideMarkdown().parse(markdown, {});
  tokens.forEach((token: Token, i: number) => {
    if (token.type === "heading_open") {
      settle();
      if (token.tag === "h2") result.sections.push(tokens[i + 1].content.trim());
    } else if (token.type === "math_block") {
      settle();
      pending = token.content.trim();
      result.tex.push({ source: token.content, display: true });
    }
    for (const child of token.children ?? []) {
      if (child.type === "math_inline") result.tex.push({ source: child.content, display: false });
      const href = child.type === "link_open" ? child.attrGet("href") ?? "" : "";
      if (href.startsWith("code:")) {
        result.codeLinks.push(href);
        pending = null;
      } else if (href.startsWith("key:")) result.keyLinks.push(href.slice("key:".length));
    }
  });
  settle();
  return result;
}

const guidePath = (labId: string) => join(REPO_ROOT, guideFile(labId));

/** Every key the lab's tiny runs (the lab and its variants) log, with sample metrics where the lab has them. */
async function loggedKeys(labId: string): Promise<Set<string>> {
  const { main } = await LABS[labId]();
  const keys = new Set<string>();
  for (const tiny of Object.entries(TINY).filter(([id, t]) => (t.lab ?? id) === labId).map(([, t]) => t)) {
    const flags = tiny.flags.flatMap((flag, i, all) =>
      all[i - 1] === "--sample-count" ? ["20", "--reference-images", "200"] : [flag]
    );
    await withTempDir(async (root) => {
      const runsDir = join(root, "runs");
      const extra = tiny.setUp ? await tiny.setUp(root) : [];
      await main(["--no-dashboard", "--runs-dir", runsDir, "--backend", "wasm", ...flags, ...extra]);
      for await (const entry of Deno.readDir(runsDir)) {
        for (const event of await readEvents(join(runsDir, entry.name))) if ("key" in event) keys.add(event.key);
      }
    });
  }
  return keys;
}

for (const labId of Object.keys(LABS)) {
  Deno.test(`guides - ${labId}: the sections, each equation linked to its code, every code link resolves, all TeX renders`, async () => {
    const markdown = await Deno.readTextFile(guidePath(labId)).catch(() => "");
    assert.ok(markdown, `no guide at ${guidePath(labId)}`);
    const guide = outline(markdown);
    assert.deepEqual(SECTIONS.filter((s) => !guide.sections.includes(s)), [], "missing sections");
    assert.deepEqual(guide.unlinkedEquations, [], "display equations with no code link after them");
    assert.ok(guide.tex.some((t) => t.display), "no display equation");
    const broken: string[] = [];
    for (const href of guide.codeLinks) {
      if (!await resolveCodeLink(REPO_ROOT, href)) {
        broken.push(`${href}: no such source file, or no such declaration or region in it`);
      }
    }
    assert.deepEqual(broken, []);
    for (const { source, display } of guide.tex) {
      assert.doesNotThrow(() => renderTex(source, { displayMode: display }), `TeX: ${source}`);
    }
  });

  Deno.test(`guides - ${labId}: every event key it links is logged by the lab`, async () => {
    const markdown = await Deno.readTextFile(guidePath(labId)).catch(() => "");
    const linked = outline(markdown).keyLinks;
    assert.ok(linked.length > 0, "the guide links no event key");
    const logged = await loggedKeys(labId);
    assert.deepEqual(linked.filter((key) => !logged.has(key)), [], `logged: ${[...logged].sort().join(", ")}`);
  });
}

Deno.test("guides - the checks catch an unlinked equation, a missing section and a broken code link", async () => {
  const guide = outline("## The idea\n\n$$\na = b\n$$\n\n[f](code:lib/nope.ts#f) and [k](key:train/loss)\n");
  assert.deepEqual(guide.sections, ["The idea"]);
  assert.deepEqual(guide.unlinkedEquations, []);
  assert.deepEqual(outline("$$\na = b\n$$\n\n## Next\n").unlinkedEquations, ["a = b"]);
  assert.equal(await sourceFile(REPO_ROOT, "lib/nope.ts"), null);
  assert.equal(findSymbol(await Deno.readTextFile(join(REPO_ROOT, "lib/losses.ts")), "renamedAway"), null);
  assert.equal(await resolveCodeLink(REPO_ROOT, "code:lib/losses.ts#renamedAway"), null);
  assert.deepEqual((await resolveCodeLink(REPO_ROOT, "code:lib/losses.ts#gaussianKlSum"))?.path, "lib/losses.ts");
  assert.throws(() => renderTex("x^{", { displayMode: true }));
  assert.deepEqual(guide.keyLinks, ["train/loss"]);
});
