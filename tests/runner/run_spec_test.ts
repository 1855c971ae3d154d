/**
 * A run directory explains itself: run.json records the spec its config was parsed by, and the
 * dashboard reads the meanings and defaults from there, never from today's lab. gan-mnist's
 * default went from 10 to 15 epochs; a run made before that must not show its 10 as changed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { lab as ganLab } from "../../labs/gan_mnist.ts";
import { parseFlags, type Spec } from "../../lib/hparams.ts";
import { readRunInfo } from "../../lib/run/run_reader.ts";
import { fullSpec, type Lab, openRun } from "../../runner/lab.ts";
import { createApp } from "../../web/app.ts";
import { withTempDir } from "../helpers.ts";

/** Opens and closes a run of `lab` with `argv` under `runsDir`, as a lab's start does; returns its directory. */
async function recordRun(lab: Lab<Spec>, runsDir: string, argv: string[]): Promise<string> {
  const { config } = parseFlags(fullSpec(lab), [...argv, "--runs-dir", runsDir, "--no-dashboard"]);
  const run = await openRun(lab, { config, backend: { name: "cpu", reason: "test" } }, { totalSteps: 1 });
  await run.close(0, "interrupted");
  return run.dir;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDir(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** The config table's row for `--flag`, as HTML. */
function configRow(html: string, flag: string): string {
  const table = html.slice(html.indexOf('data-testid="config"'));
  const row = table.split("<tr").find((tr) => tr.includes(`>--${flag}<`));
  assert.ok(row, `no --${flag} row in the config table`);
  return row;
}

Deno.test("run.json - records the lab's full spec (meanings, defaults, bounds, choices) beside the config", async () => {
  await withTempDir(async (dir) => {
    const info = await readRunInfo(await recordRun(ganLab, dir, ["--seed", "7"]));
    assert.deepEqual(info.spec, JSON.parse(JSON.stringify(fullSpec(ganLab))));
    assert.equal(info.spec?.epochs.default, 15);
    assert.deepEqual(
      info.spec?.backend.type === "string" && info.spec.backend.choices,
      fullSpec(ganLab).backend.choices,
    );
    assert.equal(info.config.seed, 7);
  });
});

Deno.test("run.json - a run copied to another folder shows the meanings and defaults it was made with, after the lab's default changed", async () => {
  await withTempDir(async (dir) => {
    const epochs = { ...ganLab.spec.epochs, default: 10 };
    const before: Lab<Spec> = { ...ganLab, spec: { ...ganLab.spec, epochs } }; // gan-mnist before the change
    const old = await recordRun(before, join(dir, "made"), []);
    const today = await recordRun(ganLab, join(dir, "made"), ["--epochs", "10"]);
    for (const run of [old, today]) await copyDir(run, join(dir, "copied", run.split("/").pop()!));
    await Deno.remove(join(dir, "made"), { recursive: true });

    const app = createApp({ runsDir: join(dir, "copied") });
    const page = async (runDir: string) => await (await app.request(`/runs/${runDir.split("/").pop()}`)).text();
    const oldRow = configRow(await page(old), "epochs");
    assert.match(oldRow, /passes over the 60,000 training images \(an integer from 1 to 1000\)/);
    assert.match(oldRow, />10</);
    assert.doesNotMatch(oldRow, /changed|default/, "the old run's 10 epochs were its default");
    const todayRow = configRow(await page(today), "epochs");
    assert.match(todayRow, /class="changed"/);
    assert.match(todayRow, /default 15/);
  });
});
