import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { defaults, formatFlags, parseFlags } from "../../lib/hparams.ts";
import { fullSpec, helpText, runFlags } from "../../runner/lab.ts";
import { lab as vaeLab } from "../../labs/vae_mnist.ts";

const spec = {
  epochs: { type: "int", default: 10, min: 1, max: 1000, help: "passes over the data" },
  lr: { type: "float", default: 1e-3, min: 0, max: 1, help: "learning rate" },
  mode: { type: "string", default: "a", choices: ["alpha", "beta", "a"], help: "which mode" },
  name: { type: "string", default: "", help: "a name" },
  dashboard: { type: "bool", default: true, help: "serve the dashboard" },
} as const;

const usageError = (pattern: RegExp) => (e: Error) => e instanceof UsageError && pattern.test(e.message);

Deno.test("hparams - no flags give the spec's defaults", () => {
  const { config, given } = parseFlags(spec, []);
  assert.deepEqual(config, { epochs: 10, lr: 1e-3, mode: "a", name: "", dashboard: true });
  assert.deepEqual(config, defaults(spec));
  assert.equal(given.size, 0);
});

Deno.test("hparams - space and = forms, kebab-case names, booleans and their negation", () => {
  const { config, given } = parseFlags({ ...spec, maxSteps: { type: "int", default: 0, help: "cap" } }, [
    "--epochs",
    "3",
    "--lr=2.5e-4",
    "--mode",
    "beta",
    "--no-dashboard",
    "--max-steps",
    "7",
    "--name=with=equals",
  ]);
  assert.deepEqual(config, { epochs: 3, lr: 2.5e-4, mode: "beta", name: "with=equals", dashboard: false, maxSteps: 7 });
  assert.deepEqual([...given].sort(), ["dashboard", "epochs", "lr", "maxSteps", "mode", "name"]);
  assert.equal(parseFlags(spec, ["--dashboard"]).config.dashboard, true);
});

Deno.test("hparams - an unknown flag names the nearest ones", () => {
  assert.throws(() => parseFlags(spec, ["--epoch", "3"]), usageError(/Unknown flag --epoch\. Did you mean --epochs\?/));
  assert.throws(() => parseFlags(spec, ["--zzzzzz"]), usageError(/^Unknown flag --zzzzzz\. Run with --help/));
});

Deno.test("hparams - wrong types, bounds and choices name the value and what is valid", () => {
  const cases: [string[], RegExp][] = [
    [["--epochs", "3.5"], /Invalid value '3\.5' for --epochs: not an integer; expected an integer from 1 to 1000/],
    [["--epochs", "0"], /'0' for --epochs: below the minimum/],
    [["--epochs", "1001"], /'1001' for --epochs: above the maximum/],
    [["--epochs", "ten"], /'ten' for --epochs: not an integer/],
    [["--lr", "fast"], /'fast' for --lr: not a number; expected a number from 0 to 1/],
    [["--lr", "-0.1"], /'-0\.1' for --lr: below the minimum/],
    [["--lr", "Infinity"], /not a number/],
    [
      ["--mode", "alhpa"],
      /'alhpa' for --mode: not one of the choices \(did you mean .*alpha.*\); expected one of alpha, beta, a/,
    ],
    [["--epochs"], /Flag --epochs needs a value: an integer from 1 to 1000/],
    [["--epochs", "2", "--epochs", "3"], /given twice/],
    [["--dashboard=yes"], /takes no value/],
    [["epochs", "3"], /Unexpected argument 'epochs'/],
  ];
  for (const [argv, pattern] of cases) assert.throws(() => parseFlags(spec, argv), usageError(pattern), argv.join(" "));
});

Deno.test("hparams - the flag table lists every flag with its default and meaning", () => {
  const lines = formatFlags(spec).split("\n");
  assert.equal(lines.length, Object.keys(spec).length);
  assert.match(lines[0], /--epochs N\s+10\s+passes over the data \(an integer from 1 to 1000\)/);
  assert.match(lines[2], /--mode S\s+"a"\s+which mode \(one of alpha, beta, a\)/);
  assert.match(lines[4], /--\[no-\]dashboard\s+on\s+serve the dashboard/);
});

Deno.test("hparams - a lab's --help covers its own and the run flags, each once", () => {
  const help = helpText(vaeLab);
  for (const key of Object.keys(fullSpec(vaeLab))) {
    const flag = key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    const mentions = help.match(new RegExp(`--(\\[no-\\])?${flag}(?![\\w-])`, "g")) ?? [];
    assert.equal(mentions.length, 1, `--${flag} once in the help`);
  }
  for (const key of ["seed", "backend", "maxSteps", "runsDir", "resume", "dashboard"]) assert.ok(key in runFlags);
  assert.ok("epochs" in vaeLab.spec);
});
