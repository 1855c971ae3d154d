/**
 * Exporting scalars: CSV cells escaped as RFC 4180 says (read back by a strict parser), config
 * columns as the union over runs, JSON and JSON Lines with the same rows, and the text handed
 * on in bounded chunks while the events are read, not after.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { streamEvents } from "../../../lib/run/event_stream.ts";
import { csvCell, type ExportFormat, type ExportRun, exportScalars } from "../../../lib/run/export_scalars.ts";
import { RunWriter } from "../../../lib/run/run_writer.ts";
import { withTempDir } from "../../helpers.ts";

/** Two runs written by the run writer; the second has a config key the first lacks and a value that needs quoting. */
async function twoRuns(runsDir: string): Promise<ExportRun[]> {
  const configs = [{ seed: 1, lr: 0.001 }, { seed: 2, lr: 0.01, note: 'a "quoted", comma\nand newline' }];
  const runs: ExportRun[] = [];
  for (const [i, config] of configs.entries()) {
    const run = await RunWriter.create({
      runsDir,
      lab: "dqn-cartpole",
      title: "t",
      config,
      spec: {},
      backend: { name: "cpu", reason: "test" },
      headline: "eval/mean_return",
      totalSteps: 2,
    });
    run.scalars(1, { "train/loss": 0.5 + i });
    run.scalars(2, { "train/loss": 0.25, "eval/mean_return": 100 * (i + 1) });
    await run.finish(2, {});
    runs.push({ id: run.id, dir: run.dir, lab: "dqn-cartpole", config });
  }
  return runs;
}

const collect = async (runs: ExportRun[], format: ExportFormat) =>
  (await Array.fromAsync(exportScalars(runs, format))).join("");

/** A strict RFC 4180 reader: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += '"', i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') {
      assert.equal(cell, "", `a quote inside an unquoted cell at ${i}`);
      quoted = true;
    } else if (c === ",") row.push(cell), cell = "";
    else if (c === "\n") row.push(cell), rows.push(row), row = [], cell = "";
    else cell += c;
  }
  assert.equal(row.length + cell.length, 0, "the text ends with a line break");
  return rows;
}

Deno.test("export - CSV: one row per scalar, config columns from every run, awkward values quoted", async () => {
  await withTempDir(async (runsDir) => {
    const runs = await twoRuns(runsDir);
    const table = parseCsv(await collect(runs, "csv"));
    assert.deepEqual(table[0], ["run_id", "lab", "seed", "lr", "note", "key", "step", "wall_time", "value"]);
    const rows = table.slice(1).map((r) => Object.fromEntries(table[0].map((name, i) => [name, r[i]])));
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.map((r) => [r.run_id, r.seed, r.lr, r.note, r.key, r.step, r.value]), [
      [runs[0].id, "1", "0.001", "", "train/loss", "1", "0.5"],
      [runs[0].id, "1", "0.001", "", "train/loss", "2", "0.25"],
      [runs[0].id, "1", "0.001", "", "eval/mean_return", "2", "100"],
      [runs[1].id, "2", "0.01", 'a "quoted", comma\nand newline', "train/loss", "1", "1.5"],
      [runs[1].id, "2", "0.01", 'a "quoted", comma\nand newline', "train/loss", "2", "0.25"],
      [runs[1].id, "2", "0.01", 'a "quoted", comma\nand newline', "eval/mean_return", "2", "200"],
    ]);
    const wallTime = Number(rows[0].wall_time);
    assert.ok(Math.abs(wallTime - Date.now() / 1000) < 600, `wall_time in Unix seconds, got ${rows[0].wall_time}`);
    assert.equal(csvCell("plain"), "plain");
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell(null), "");
  });
});

Deno.test("export - JSON and JSON Lines hold the CSV's rows as objects", async () => {
  await withTempDir(async (runsDir) => {
    const runs = await twoRuns(runsDir);
    const array = JSON.parse(await collect(runs, "json"));
    const lines = (await collect(runs, "jsonl")).trimEnd().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(lines, array);
    assert.equal(array.length, 6);
    assert.deepEqual(array[3], { ...array[3], run_id: runs[1].id, seed: 2, note: runs[1].config.note, value: 1.5 });
    assert.equal(array[0].note, null, "a key the run lacks is null");
    assert.deepEqual(JSON.parse(await collect([], "json")), []);
  });
});

Deno.test("export - a fixed column's name in the config gets a config. prefix", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "events.jsonl"), "");
    const text = await collect([{ id: "r", dir, lab: "x", config: { step: 3, value: "v" } }], "csv");
    assert.equal(text, "run_id,lab,config.step,config.value,key,step,wall_time,value\n");
  });
});

Deno.test("export - text comes in bounded chunks while the events are still being read", async () => {
  await withTempDir(async (dir) => {
    const line = (seq: number) =>
      JSON.stringify({ seq, time: seq, step: seq, kind: "scalar", key: "train/loss", value: seq / 7 }) + "\n";
    await Deno.writeTextFile(join(dir, "events.jsonl"), Array.from({ length: 20_000 }, (_, i) => line(i + 1)).join(""));
    const chunks = exportScalars([{ id: "r", dir, lab: "x", config: {} }], "csv");
    const first = await chunks.next();
    assert.ok(!first.done && first.value.length < 70_000, "the first chunk is bounded");
    assert.ok(first.value.split("\n").length < 20_000 / 2, "handed on before the run is read to its end");
    let rows = first.value.split("\n").length - 2; // the header, and the empty string after the last newline
    for await (const chunk of chunks) rows += chunk.split("\n").length - 1;
    assert.equal(rows, 20_000);
  });
});

Deno.test("export - the event stream skips a torn last line and events out of seq order", async () => {
  await withTempDir(async (dir) => {
    const event = (seq: number) => JSON.stringify({ seq, time: 0, step: seq, kind: "scalar", key: "k", value: 1 });
    await Deno.writeTextFile(
      join(dir, "events.jsonl"),
      [event(1), event(3), event(2), event(4), '{"seq":5,"ti'].join("\n"),
    );
    assert.deepEqual((await Array.fromAsync(streamEvents(dir))).map((e) => e.seq), [1, 3, 4]);
    assert.deepEqual(await Array.fromAsync(streamEvents(join(dir, "missing"))), []);
  });
});
