/**
 * Reading references/<lab-id>.json: every shipped file is valid and belongs to a lab that logs
 * its metric; a malformed file is an error that names the file, the field and what would be
 * valid; a lab without a file has no references.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LABS } from "../../../labs/mod.ts";
import { loadReferences, parseReferences, REFERENCES_DIR } from "../../../web/references/load_references.ts";
import { REPO_ROOT } from "../../helpers.ts";

const FILE = "references/demo-lab.json";

const good = () => ({
  lab: "demo-lab",
  curves: [{
    id: "pytorch",
    label: "PyTorch, seeds 1-3",
    kind: "outside",
    metric: "eval/nelbo",
    better: "lower",
    x: "epoch",
    source: "measured",
    command: "python3 x.py",
    band: "seeds' range",
    points: [{ x: 1, mean: 127, low: 126, high: 128 }, { x: 2, mean: 115, low: 114, high: 116 }],
  }],
});

type File = ReturnType<typeof good>;

/** The error of parsing `text`. */
function errorOf(text: string): string {
  try {
    parseReferences(text, FILE, "demo-lab");
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail("no error");
}

/** `good()` changed by `edit`, as text. */
function edited(edit: (file: File) => unknown): string {
  const file = good();
  edit(file);
  return JSON.stringify(file);
}

Deno.test("references - every shipped file is valid, named after a lab, and its curves' x values increase", async () => {
  const files = [...Deno.readDirSync(join(REPO_ROOT, REFERENCES_DIR))].map((e) => e.name).sort();
  assert.ok(files.length >= 5, `only ${files.length} reference files`);
  for (const name of files) {
    assert.match(name, /^[a-z0-9-]+\.json$/);
    const lab = name.slice(0, -".json".length);
    assert.ok(lab in LABS, `${REFERENCES_DIR}/${name} is named after no lab`);
    const references = await loadReferences(lab, REPO_ROOT);
    assert.ok(references && references.curves.length > 0);
  }
});

Deno.test("references - each curve overlays the lab's headline metric, measured in the unit its events are stepped in", async () => {
  // What each lab's eval events are stepped in (trainers/rl_run.ts, trainers/epoch_loop.ts, the lab files).
  const unit: Record<string, string> = { "reinforce-cartpole": "episodes", "qlearning-frozenlake": "env_steps" };
  for (const name of Deno.readDirSync(join(REPO_ROOT, REFERENCES_DIR))) {
    const labId = name.name.slice(0, -".json".length);
    const lab = (await LABS[labId]()).lab as { id: string; title: string; headline: string };
    for (const curve of (await loadReferences(labId, REPO_ROOT))!.curves) {
      assert.equal(curve.metric, lab.headline, `${name.name}#${curve.id}`);
      const expected = unit[labId] ?? (lab.headline === "eval/mean_return" ? "env_steps" : "epoch");
      assert.equal(curve.x, expected, `${name.name}#${curve.id}`);
    }
  }
});

Deno.test("references - each curve's config names flags of its lab at their current defaults (what it was measured with)", async () => {
  for (const name of Deno.readDirSync(join(REPO_ROOT, REFERENCES_DIR))) {
    const labId = name.name.slice(0, -".json".length);
    const spec = ((await LABS[labId]()).lab as unknown as { spec: Record<string, { default: unknown }> }).spec;
    for (const curve of (await loadReferences(labId, REPO_ROOT))!.curves) {
      assert.ok(curve.config && Object.keys(curve.config).length > 0, `${name.name}#${curve.id} has no config`);
      for (const [flag, value] of Object.entries(curve.config)) {
        assert.ok(flag in spec, `${name.name}#${curve.id}: ${flag} is not a flag of ${labId}`);
        // A changed default leaves the reference measured with the old one: measure it again, or keep the old value.
        assert.equal(value, spec[flag].default, `${name.name}#${curve.id}: ${flag}`);
      }
    }
  }
});

Deno.test("references - a lab without a file has none; an id that is not a lab id reads nothing", async () => {
  assert.equal(await loadReferences("no-such-lab", REPO_ROOT), null);
  assert.equal(await loadReferences("../deno", REPO_ROOT), null);
});

Deno.test("references - a malformed file is an error naming the file, the field and what is valid", () => {
  const cases: [string, (f: File) => unknown, RegExp][] = [
    ["another lab", (f) => (f.lab = "vae-mnist"), /: lab: expected "demo-lab" \(the file's name\), got "vae-mnist"/],
    ["no curves", (f) => (f.curves = []), /: curves: expected a non-empty array/],
    [
      "bad unit",
      (f) => (f.curves[0].x = "steps"),
      /curves\[0\]\.x: expected one of epoch, env_steps, episodes, got "steps"/,
    ],
    ["bad direction", (f) => (f.curves[0].better = "up"), /curves\[0\]\.better: expected one of higher, lower/],
    ["no source", (f) => (f.curves[0].source = " "), /curves\[0\]\.source: expected a non-empty string/],
    [
      "no command or url",
      (f) => delete (f.curves[0] as { command?: string }).command,
      /expected a command .* or the url/,
    ],
    ["a typo", (f) => Object.assign(f.curves[0], { comand: "x" }), /curves\[0\]: unknown key "comand"; expected id, /],
    ["x not rising", (f) => (f.curves[0].points[1].x = 1), /curves\[0\]\.points\[1\]\.x: 1 does not follow 1/],
    [
      "a string number",
      (f) => Object.assign(f.curves[0].points[0], { mean: "127" }),
      /points\[0\]\.mean: expected a finite number, got "127"/,
    ],
    [
      "mean outside band",
      (f) => (f.curves[0].points[0].low = 127.5),
      /points\[0\]: expected low <= mean <= high, got 127\.5, 127, 128/,
    ],
    [
      "half a band",
      (f) => delete (f.curves[0].points[1] as { low?: number }).low,
      /points\[1\]\.low: expected a finite number/,
    ],
    [
      "band unexplained",
      (f) => delete (f.curves[0] as { band?: string }).band,
      /curves\[0\]\.band: expected a sentence/,
    ],
    ["id twice", (f) => f.curves.push(f.curves[0]), /curves: the id "pytorch" is used twice/],
    [
      "a config value",
      (f) => Object.assign(f.curves[0], { config: { lr: [1] } }),
      /curves\[0\]\.config\.lr: expected a string, number or boolean, got \[1\]/,
    ],
  ];
  for (const [name, edit, expected] of cases) assert.match(errorOf(edited(edit)), expected, name);
  assert.match(errorOf("{ lab: 1 }"), /^references\/demo-lab\.json: not JSON: /);
  // Points without any band need no band sentence.
  const plain = good();
  plain.curves[0].points = [{ x: 1, mean: 1 }] as File["curves"][0]["points"];
  delete (plain.curves[0] as { band?: string }).band;
  assert.equal(parseReferences(JSON.stringify(plain), FILE, "demo-lab").curves[0].points.length, 1);
});
