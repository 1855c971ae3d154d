/**
 * `deno task export`, run as users run it: a file only when complete, clear errors with exit
 * status 2, and a 200,000-event run exported under a V8 heap too small to hold it (a reader that
 * loaded the run whole needs more than twice as much: measured with readEvents, it fails at 48 MiB).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, runCli, withTempDir } from "../helpers.ts";
import { FakeRun } from "../web/fixtures.ts";

Deno.test("export command - writes the CSV of the named runs to --out; bad names and formats exit 2", async () => {
  await withTempDir(async (dir) => {
    const a = await FakeRun.create(dir, "dqn-a", { config: { seed: 1, note: "x,y" } });
    const b = await FakeRun.create(dir, "dqn-b", { config: { seed: 2, note: "z" } });
    await a.losses(3);
    await b.losses(2);
    const out = join(dir, "all.csv");
    const done = await runCli(["export", a.dir, b.dir, "--out", out]);
    assert.equal(done.code, 0, done.stderr);
    const lines = (await Deno.readTextFile(out)).trimEnd().split("\n");
    assert.equal(lines[0], "run_id,lab,seed,note,key,step,wall_time,value");
    assert.equal(lines.length, 1 + 3 + 2);
    assert.match(lines[1], /^dqn-a,vae-mnist,1,"x,y",train\/loss,1,1700000001,100$/);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["all.csv", "dqn-a", "dqn-b"]);

    const missing = await runCli(["export", a.dir, join(dir, "nope")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /'.*nope' is not a run directory \(no run.json there\)/);
    const format = await runCli(["export", a.dir, "--format", "xlsx"]);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /Invalid value 'xlsx' for --format: .*one of csv, json, jsonl/);
    assert.equal((await runCli(["export", "--format", "json"])).code, 2);
  });
});

Deno.test("export command - 200,000 events stream through a 32 MiB heap", async () => {
  await withTempDir(async (dir) => {
    const run = await FakeRun.create(dir, "dqn-long", { lab: "dqn-cartpole" });
    const line = (seq: number) =>
      JSON.stringify({
        seq,
        time: 1.7e12 + seq,
        step: seq,
        kind: "scalar",
        key: "charts/episodic_return",
        value: seq % 500,
      });
    const events = Array.from({ length: 200_000 }, (_, i) => line(i + 1)).join("\n") + "\n";
    await Deno.writeTextFile(join(run.dir, "events.jsonl"), events);
    const out = join(dir, "long.jsonl");
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--max-old-space-size=32",
        "cli.ts",
        "export",
        run.dir,
        "--format",
        "jsonl",
        "--out",
        out,
      ],
      cwd: REPO_ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const text = await Deno.readTextFile(out);
    assert.equal(text.length - text.replaceAll("\n", "").length, 200_000);
    assert.equal(JSON.parse(text.slice(text.lastIndexOf("\n", text.length - 2) + 1)).value, 200_000 % 500);
  });
});
