/**
 * The PostgreSQL run store against a real server (tests/postgres_server.ts, one per file): a lab
 * run with --store writes what a folder run writes and resumes from it; a run folder imported
 * and exported comes back byte for byte; events go in batches, each notified; the password is
 * recorded nowhere.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { main as frozenLake } from "../../../labs/qlearning_frozenlake.ts";
import { main as vaeMnist } from "../../../labs/vae_mnist.ts";
import { PostgresStore } from "../../../lib/run/postgres_store.ts";
import { readEvents } from "../../../lib/run/run_reader.ts";
import { exportRun, importRun } from "../../../lib/run/run_transfer.ts";
import { parseStoreUrl } from "../../../lib/run/store_url.ts";
import type { RunInfo } from "../../../lib/run/types.ts";
import { learningTrace, QUIET, runLab } from "../../labs/rl_lab_helpers.ts";
import { TINY } from "../../labs/tiny_runs.ts";
import { runCli, withTempDir } from "../../helpers.ts";
import { sharedPostgres, SKIP_POSTGRES } from "../../postgres_server.ts";

const postgres = sharedPostgres();
const connect = (url: string) => PostgresStore.connect(parseStoreUrl(url, "--store"));
const LAKE = [...TINY["qlearning-frozenlake"].flags, "--seed", "3"];

/** Every file under `dir`, by relative path, with its bytes. */
async function filesOf(dir: string, sub = dir): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(sub)) {
    const path = join(sub, entry.name);
    if (entry.isDirectory) { for (const [p, b] of await filesOf(dir, path)) files.set(p, b); }
    else files.set(relative(dir, path), await Deno.readFile(path));
  }
  return files;
}

Deno.test({
  name: "postgres_store - a run folder imported and exported again is the same folder, byte for byte",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const store = await connect(await (await postgres()).createDatabase());
    try {
      await withTempDir(async (tmp) => {
        const dir = await runLab(vaeMnist, join(tmp, "runs"), TINY["vae-mnist"].flags);
        const original = await filesOf(dir);
        const paths = [...original.keys()];
        assert.ok(paths.some((p) => /^media\/.+\.png$/.test(p)), `no PNG grid in ${paths}`);
        assert.ok(paths.some((p) => /^checkpoints\/step-\d+\.ckpt$/.test(p)), `no checkpoint in ${paths}`);
        assert.ok(paths.includes("summary.json"));

        const id = await importRun(store, dir);
        await exportRun(store, id, join(tmp, "exported"));
        const exported = await filesOf(join(tmp, "exported"));
        assert.deepEqual([...exported.keys()].sort(), paths.sort());
        for (const [path, bytes] of original) assert.deepEqual(exported.get(path), bytes, path);
        await assert.rejects(importRun(store, dir), /already holds a run .*nothing was imported/);
        await assert.rejects(exportRun(store, id, join(tmp, "exported")), /already exists/);
      });
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "postgres_store - a lab run with --store logs what a folder run logs, resumes from it, and records no password",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await postgres();
    const url = await server.createDatabase();
    await withTempDir(async (tmp) => {
      // The same seeded run, stopped at 2,000 env steps and resumed to 3,000, in a folder and in PostgreSQL.
      const folderRun = await runLab(frozenLake, join(tmp, "runs"), [...LAKE, "--max-steps", "2000"]);
      await frozenLake([...QUIET, "--resume", folderRun, "--max-steps", "3000"]);
      await frozenLake([...QUIET, "--store", url, ...LAKE, "--max-steps", "2000"]);
      const store = await connect(url);
      try {
        const [info] = await store.list();
        assert.equal(info.status, "finished");
        assert.equal(info.config.store, url.replace(`:${server.password}@`, "@"));
        await frozenLake([...QUIET, "--store", url, "--resume", info.id, "--max-steps", "3000"]);
        const run = await store.open(info.id);
        assert.deepEqual(learningTrace(await run.readEvents()), learningTrace(await readEvents(folderRun)));
        const resumed: RunInfo = await run.readInfo();
        assert.equal(resumed.status, "finished");
        assert.equal(resumed.resumes.length, 1);

        await exportRun(store, info.id, join(tmp, "exported"));
        const files = await filesOf(join(tmp, "exported"));
        assert.ok([...files.keys()].some((p) => p.startsWith("checkpoints/")));
        for (const [path, bytes] of files) {
          assert.ok(!new TextDecoder().decode(bytes).includes(server.password), `the password is in ${path}`);
        }
      } finally {
        await store.close();
      }
    });
  },
});

Deno.test({
  name: "postgres_store - events go in batches, each announced on tflab_events with the run id and its last seq",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const store = await connect(await (await postgres()).createDatabase());
    const listener = await store.pool.connect();
    try {
      const heard: string[] = [];
      listener.on("notification", (message) => heard.push(message.payload ?? ""));
      await listener.query("listen tflab_events");
      const info = { id: "batched", createdAt: new Date().toISOString() } as RunInfo;
      const run = await store.create(info);
      for (let seq = 1; seq <= 2500; seq++) {
        run.appendEvent(
          seq,
          JSON.stringify({ seq, time: seq, step: seq, kind: "scalar", key: "k", value: seq }) + "\n",
        );
      }
      await run.flushEvents();
      const events = await run.readEvents(2400);
      assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 100 }, (_, i) => 2401 + i));
      while (heard.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(heard, ["batched 1000", "batched 2000", "batched 2500"]);
    } finally {
      listener.release();
      await store.close();
    }
  },
});

Deno.test({
  name: "postgres_store - `deno task store` imports, lists and exports a run folder; the password is never printed",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await postgres();
    const url = await server.createDatabase();
    await withTempDir(async (tmp) => {
      const dir = await runLab(frozenLake, join(tmp, "runs"), LAKE);
      const id = relative(join(tmp, "runs"), dir);
      const shown = url.replace(`:${server.password}@`, "@");
      const imported = await runCli(["store", "import", "--store", url, dir]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.equal(imported.stdout, `imported ${dir} -> ${shown}#${id}\n`);
      const listed = await runCli(["store", "list", "--store", url]);
      assert.match(listed.stdout, new RegExp(`^${id} +finished `));
      const exported = await runCli(["store", "export", "--store", url, id, join(tmp, "back")]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.deepEqual(await filesOf(join(tmp, "back")), await filesOf(dir));
      const again = await runCli(["store", "import", "--store", url, dir]);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already holds a run/);
      for (const output of [imported, listed, exported, again]) {
        assert.ok(!(output.stdout + output.stderr).includes(server.password));
      }
    });
  },
});
