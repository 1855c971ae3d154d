/**
 * The README's reference figures and the dashboard's reference curves are the same numbers: every
 * figure the README links to a curve ([105.51](references/vae-mnist.json#pytorch)) equals that
 * curve's last point to the digits it shows, and every curve is quoted in the README at least once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadReferences, REFERENCES_DIR } from "../web/references/load_references.ts";
import type { LabReferences } from "../web/shared/reference_curves.ts";
import { REPO_ROOT } from "./helpers.ts";

interface Quote {
  text: string;
  lab: string;
  curve: string;
}

/** Every link of the form [figure](references/<lab>.json#<curve>) in `markdown`. */
function referenceQuotes(markdown: string): Quote[] {
  const links = markdown.matchAll(/\[([^\]]+)\]\(references\/([a-z0-9-]+)\.json#([a-z0-9-]+)\)/g);
  return [...links].map(([, text, lab, curve]) => ({ text, lab, curve }));
}

/** Why `quote` disagrees with the curve it links, or null when it agrees. */
function quoteProblem(quote: Quote, references: Map<string, LabReferences>): string | null {
  const where = `[${quote.text}](references/${quote.lab}.json#${quote.curve})`;
  const curve = references.get(quote.lab)?.curves.find((c) => c.id === quote.curve);
  if (!curve) return `${where}: no such curve`;
  const figure = quote.text.replaceAll("*", "").replaceAll(",", "").trim();
  if (!/^-?\d+(\.\d+)?$/.test(figure)) return `${where}: the link's text is not a number`;
  const decimals = figure.split(".")[1]?.length ?? 0;
  const last = curve.points.at(-1)!.mean;
  // The figure is the last mean rounded to the digits shown.
  return Math.abs(Number(figure) - last) <= 0.5 * 10 ** -decimals + 1e-9
    ? null
    : `${where}: the curve's last point is ${last}, not ${figure}`;
}

async function shippedReferences(): Promise<Map<string, LabReferences>> {
  const references = new Map<string, LabReferences>();
  for (const entry of Deno.readDirSync(join(REPO_ROOT, REFERENCES_DIR))) {
    const lab = entry.name.replace(/\.json$/, "");
    references.set(lab, (await loadReferences(lab, REPO_ROOT))!);
  }
  return references;
}

Deno.test("README - every figure linked to a reference curve equals the curve's last point", async () => {
  const references = await shippedReferences();
  const readme = await Deno.readTextFile(join(REPO_ROOT, "README.md"));
  const quotes = referenceQuotes(readme);
  assert.deepEqual(quotes.map((q) => quoteProblem(q, references)).filter(Boolean), []);
  // A link to a reference file that names no curve would escape the check.
  assert.equal(readme.split("](references/").length - 1, quotes.length, "a link to references/ without #<curve>");
});

Deno.test("README - every reference curve is quoted in the README", async () => {
  const references = await shippedReferences();
  const quoted = new Set(
    referenceQuotes(await Deno.readTextFile(join(REPO_ROOT, "README.md"))).map((q) => `${q.lab}#${q.curve}`),
  );
  const curves = [...references.values()].flatMap((r) => r.curves.map((c) => `${r.lab}#${c.id}`));
  assert.deepEqual(curves.filter((c) => !quoted.has(c)), []);
});

Deno.test("README check - a drifted figure, a wrong curve and a non-number are caught; rounding is allowed", () => {
  const references = new Map<string, LabReferences>([["vae-mnist", {
    lab: "vae-mnist",
    curves: [{
      id: "pytorch",
      label: "PyTorch",
      kind: "outside",
      metric: "eval/nelbo",
      better: "lower",
      x: "epoch",
      source: "measured",
      command: "x",
      points: [{ x: 1, mean: 127 }, { x: 10, mean: 105.507 }],
    }],
  }]]);
  const problems = (markdown: string) => referenceQuotes(markdown).map((q) => quoteProblem(q, references));
  assert.deepEqual(
    problems("[**105.51**](references/vae-mnist.json#pytorch) and [105.5](references/vae-mnist.json#pytorch)"),
    [null, null],
  );
  assert.match(problems("[105.76](references/vae-mnist.json#pytorch)")[0]!, /last point is 105\.507, not 105\.76/);
  assert.match(problems("[105.5](references/vae-mnist.json#torch)")[0]!, /no such curve/);
  assert.match(problems("[about 105](references/vae-mnist.json#pytorch)")[0]!, /not a number/);
  assert.deepEqual(problems("[105.5](references/vae-mnist.json)"), [], "a link without a curve is not a quote");
});
