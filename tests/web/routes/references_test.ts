/**
 * The lab's reference curves on the pages, rendered in-process: the run page hands them to its
 * charts and judges the headline metric by them in the status line (server-rendered, before
 * any script runs), the compare page hands each lab's curves to its charts, and a malformed
 * reference file is shown as an error on a page that still works.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../../../web/app.ts";
import { loadReferences } from "../../../web/references/load_references.ts";
import { REPO_ROOT } from "../../helpers.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

const ID = "vae-mnist-20260102-030405-abcd";
const PYTORCH = (await loadReferences("vae-mnist", REPO_ROOT))!.curves.find((c) => c.id === "pytorch")!;

function islandProps(html: string, name: string): Record<string, unknown> {
  const match = html.match(
    new RegExp(`<script type="application/json" data-island-props="${name}">(.*?)</script>`, "s"),
  );
  assert.ok(match, `no ${name} island in the page`);
  return JSON.parse(match[1]);
}

/** A vae-mnist run at the end of its second epoch (100 steps each), its negative ELBO `above` the band's top then. */
async function vaeRun(runsDir: string, id: string, above: number): Promise<FakeRun> {
  const run = await FakeRun.create(runsDir, id, { config: { epochs: 10, batchSize: 128, seed: 1 } });
  for (const epoch of [1, 2]) {
    const value = PYTORCH.points[epoch - 1].high! + (epoch === 2 ? above : -1);
    await run.append(
      { kind: "scalar", step: epoch * 100, key: "eval/nelbo", value },
      { kind: "scalar", step: epoch * 100, key: "epoch", value: epoch },
    );
  }
  return run;
}

Deno.test("run page - the lab's references reach the charts, and the status line judges the headline by them", async () => {
  await withRunsDir(async (runsDir) => {
    await vaeRun(runsDir, ID, 0.5);
    await vaeRun(runsDir, "vae-mnist-on-track", 0);
    const app = createApp({ runsDir });
    const html = await (await app.request(`/runs/${ID}`)).text();
    const header = islandProps(html, "RunHeader");
    assert.deepEqual((header.references as { id: string }[]).map((c) => c.id), ["pytorch"]);
    assert.equal(header.headlineStep, 200);
    assert.deepEqual(header.epochs, { step: [100, 200], value: [1, 2] });
    assert.match(html, /data-testid="reference-status"[^>]*>behind the reference/);
    const charts = islandProps(html, "ScalarCharts") as { references: { id: string }[] };
    assert.deepEqual(charts.references.map((c) => c.id), ["pytorch"]);
    assert.ok(html.includes(`data-testid="reference-label"`));
    // At the band's top exactly: on track.
    const onTrack = await (await app.request("/runs/vae-mnist-on-track")).text();
    assert.match(onTrack, /data-testid="reference-status"[^>]*>on track/);
  });
});

Deno.test("run page - a run trained with other settings than the reference's is not judged or drawn with it, and says why", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await vaeRun(runsDir, ID, 0);
    run.info.config = { ...run.info.config, arch: "conv" };
    await run.writeInfo();
    const html = await (await createApp({ runsDir }).request(`/runs/${ID}`)).text();
    assert.deepEqual(islandProps(html, "RunHeader").references as unknown[], []);
    assert.deepEqual((islandProps(html, "ScalarCharts") as { references: unknown[] }).references, []);
    assert.ok(!html.includes(`data-testid="reference-status"`));
    const note = html.match(/data-testid="references-skipped">(.*?)<\/p>/s)?.[1].replace(/<!-- -->/g, "");
    assert.equal(note, `Not drawn: ${PYTORCH.label}, measured with --arch mlp (this run: conv).`);
  });
});

Deno.test("compare page - each lab's reference curves go to the compared charts", async () => {
  await withRunsDir(async (runsDir) => {
    await vaeRun(runsDir, "vae-mnist-a", 0);
    await FakeRun.create(runsDir, "dqn-cartpole-b", {
      lab: "dqn-cartpole",
      headline: "eval/mean_return",
      config: { seed: 1 },
    });
    const html = await (await createApp({ runsDir }).request("/compare?runs=vae-mnist-a,dqn-cartpole-b")).text();
    const props = islandProps(html, "CompareCharts") as {
      runs: { lab: string }[];
      references: Record<string, { id: string }[]>;
    };
    assert.deepEqual(props.runs.map((r) => r.lab), ["vae-mnist", "dqn-cartpole"]);
    assert.deepEqual(Object.keys(props.references), ["vae-mnist", "dqn-cartpole"]);
    assert.deepEqual(props.references["vae-mnist"].map((c) => c.id), ["pytorch"]);
  });
});

Deno.test("run page - a malformed reference file is an error on the page, which still shows the run", async () => {
  await withRunsDir(async (runsDir) => {
    await vaeRun(runsDir, ID, 0);
    const projectRoot = join(runsDir, "project");
    await Deno.mkdir(join(projectRoot, "references"), { recursive: true });
    await Deno.writeTextFile(join(projectRoot, "references/vae-mnist.json"), `{"lab": "vae-mnist", "curves": []}`);
    const response = await createApp({ runsDir, projectRoot }).request(`/runs/${ID}`);
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<pre class="error">references\/vae-mnist\.json: curves: expected a non-empty array<\/pre>/);
    assert.deepEqual((islandProps(html, "ScalarCharts") as { references: unknown[] }).references, []);
    assert.ok(!html.includes(`data-testid="reference-status"`));
  });
});
