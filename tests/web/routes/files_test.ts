/**
 * Run files: served from inside a run directory, and nothing else: encoded "..", separators
 * smuggled in a segment, absolute paths, NUL, symlinks out of the runs directory (as a file and
 * as a whole run), and run ids that are not plain names.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../../../web/app.ts";
import { FakeRun, PNG_1X1, withRunsDir } from "../fixtures.ts";

const ID = "vae-mnist-20260102-030405-abcd";

Deno.test("files - a run's media, run.json and events are served with their types", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.image(5, "samples/prior");
    const app = createApp({ runsDir });
    const png = await app.request(`/runs/${ID}/files/media/samples-prior-step-000000005.png`);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get("content-type"), "image/png");
    assert.equal(png.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(new Uint8Array(await png.arrayBuffer()), PNG_1X1);
    const info = await app.request(`/runs/${ID}/files/run.json`);
    assert.equal((await info.json()).id, ID);
    const events = await app.request(`/runs/${ID}/files/events.jsonl`);
    assert.match(await events.text(), /"kind":"image"/);
  });
});

Deno.test("files - traversal attempts are refused, however they are spelled", async () => {
  await withRunsDir(async (root) => {
    const runsDir = join(root, "runs");
    await FakeRun.create(runsDir, ID);
    await Deno.writeTextFile(join(root, "secret.txt"), "do not serve");
    await Deno.writeTextFile(join(runsDir, "loose.txt"), "not in a run");
    const app = createApp({ runsDir });
    const attempts = [
      `/runs/${ID}/files/../../secret.txt`,
      `/runs/${ID}/files/%2e%2e/%2e%2e/secret.txt`,
      `/runs/${ID}/files/%2E%2E%2F%2E%2E%2Fsecret.txt`,
      `/runs/${ID}/files/media/..%2f..%2f..%2fsecret.txt`,
      `/runs/${ID}/files/..%5c..%5csecret.txt`,
      `/runs/${ID}/files/%2Ftmp%2Fsecret.txt`,
      `/runs/${ID}/files/${encodeURIComponent(join(root, "secret.txt"))}`,
      `/runs/${ID}/files//etc/passwd`,
      `/runs/${ID}/files/run.json%00.png`,
      `/runs/${ID}/files/%252e%252e/%252e%252e/secret.txt`,
      `/runs/%2e%2e/files/secret.txt`,
      `/runs/..%2f/files/secret.txt`,
      `/runs/./files/loose.txt`,
      `/runs/%2e/files/loose.txt`,
      `/runs/${ID}/files/media`,
      `/runs/${ID}/files/%E0%A4%A`,
    ];
    for (const path of attempts) {
      const response = await app.request(path);
      const body = await response.text();
      assert.equal(response.status, 404, `${path} answered ${response.status}: ${body.slice(0, 80)}`);
      assert.doesNotMatch(body, /do not serve|not in a run|root:/, path);
    }
  });
});

Deno.test("files - symlinks that lead out of the runs directory are refused", async () => {
  await withRunsDir(async (root) => {
    const runsDir = join(root, "runs");
    const run = await FakeRun.create(runsDir, ID);
    await Deno.mkdir(join(root, "elsewhere"));
    await Deno.writeTextFile(join(root, "elsewhere", "secret.txt"), "do not serve");
    await Deno.writeTextFile(join(root, "elsewhere", "run.json"), JSON.stringify({ ...run.info, id: "linked" }));
    await Deno.symlink(join(root, "elsewhere", "secret.txt"), join(run.dir, "media", "link.png"));
    await Deno.symlink(join(root, "elsewhere"), join(run.dir, "media", "dir"));
    await Deno.symlink(join(root, "elsewhere"), join(runsDir, "linked"));
    const app = createApp({ runsDir });
    for (
      const path of [
        `/runs/${ID}/files/media/link.png`,
        `/runs/${ID}/files/media/dir/secret.txt`,
        `/runs/linked/files/secret.txt`,
      ]
    ) {
      const response = await app.request(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), /do not serve/);
    }
    // The symlinked run is no run: not listed, no page.
    assert.equal((await app.request("/runs/linked")).status, 404);
    await (await app.request("/runs/linked")).body?.cancel();
    const { runs } = await (await app.request("/api/runs")).json();
    assert.deepEqual(runs.map((r: { id: string }) => r.id), [ID]);
  });
});

Deno.test("files - a symlink that stays inside the run directory is served", async () => {
  await withRunsDir(async (runsDir) => {
    const run = await FakeRun.create(runsDir, ID);
    await run.image(1, "samples/prior");
    await Deno.symlink(
      join(run.dir, "media", "samples-prior-step-000000001.png"),
      join(run.dir, "media", "latest.png"),
    );
    const response = await createApp({ runsDir }).request(`/runs/${ID}/files/media/latest.png`);
    assert.equal(response.status, 200);
    await response.body?.cancel();
  });
});
