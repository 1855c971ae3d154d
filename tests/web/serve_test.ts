/**
 * Serving for real: serveDashboard on a free port, the URL it returns, the islands bundle it
 * builds, a token when bound beyond loopback, shutdown with live streams open, the Worker
 * entry, and the `dashboard` command's output and errors.
 */
import assert from "node:assert/strict";
import { serveDashboard } from "../../web/serve.ts";
import { cliCommand, runCli } from "../helpers.ts";
import { FakeRun, readSse, withRunsDir } from "./fixtures.ts";

Deno.test("serve - serves on a free loopback port, builds the islands bundle, and shuts down with streams open", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, "run-a");
    const served = await serveDashboard({ runsDir, port: 0 });
    try {
      assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(served.url);
      assert.match(await page.text(), /run-a/);
      const js = await fetch(new URL("/static/islands.js", served.url));
      assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
      const bundle = await js.text();
      assert.ok(bundle.length > 20_000, `bundle of ${bundle.length} bytes`);
      assert.match(bundle, /data-island/);
      const css = await (await fetch(new URL("/static/dashboard.css", served.url))).text();
      assert.match(css, /\.uplot/);
      assert.match(css, /\.chart-grid/);
      // An open stream must not hold the shutdown.
      const stream = await fetch(new URL("/api/live", served.url));
      await readSse(stream, (t) => t.includes("event: page"));
    } finally {
      await served.shutdown();
    }
  });
});

Deno.test("serve - bound beyond loopback without a token, it makes one and asks for it", async () => {
  await withRunsDir(async (runsDir) => {
    const served = await serveDashboard({ runsDir, host: "0.0.0.0", port: 0 });
    try {
      const url = new URL(served.url);
      const token = url.searchParams.get("token");
      assert.match(token ?? "", /^[0-9a-f]{32}$/);
      const local = `http://127.0.0.1:${url.port}/api/runs`;
      const refused = await fetch(local);
      assert.equal(refused.status, 401);
      await refused.body?.cancel();
      const allowed = await fetch(local, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(allowed.status, 200);
      await allowed.body?.cancel();
    } finally {
      await served.shutdown();
    }
  });
});

Deno.test("worker - serves from a Worker and posts back its URL; a second start is an error", async () => {
  await withRunsDir(async (runsDir) => {
    const worker = new Worker(new URL("../../web/worker.ts", import.meta.url), { type: "module" });
    const next = () => new Promise<Record<string, string>>((resolve) => (worker.onmessage = (e) => resolve(e.data)));
    try {
      worker.postMessage({ runsDir, port: 0 });
      const { url } = await next();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await fetch(new URL("/api/runs", url));
      assert.deepEqual((await response.json()).runs, []);
      worker.postMessage({ runsDir, port: 0 });
      assert.match((await next()).error, /already serving/);
      worker.postMessage("shutdown");
      assert.deepEqual(await next(), { closed: true });
    } finally {
      worker.terminate();
    }
  });
});

Deno.test("worker - a port in use is posted back as an error", async () => {
  await withRunsDir(async (runsDir) => {
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const worker = new Worker(new URL("../../web/worker.ts", import.meta.url), { type: "module" });
    try {
      const reply = new Promise<Record<string, string>>((resolve) => (worker.onmessage = (e) => resolve(e.data)));
      worker.postMessage({ runsDir, port: taken.addr.port });
      assert.match((await reply).error, /in use/i);
    } finally {
      worker.terminate();
      taken.close();
    }
  });
});

Deno.test("dashboard command - prints its URL on a line of its own", async () => {
  await withRunsDir(async (runsDir) => {
    const child = cliCommand(["dashboard", "--runs-dir", runsDir, "--port", "0"]).spawn();
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let out = "";
      while (!out.includes("\n")) out += (await reader.read()).value ?? "";
      const [line] = out.split("\n");
      assert.match(line, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await fetch(new URL("/api/health", line));
      assert.equal((await response.json()).ok, true);
      reader.releaseLock();
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel();
    }
  });
});

Deno.test("dashboard command - bad flags are usage errors (exit 2) with a hint", async () => {
  const bad = await runCli(["dashboard", "--prot", "80"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown flag --prot\. Did you mean --port\?/);
  const range = await runCli(["dashboard", "--port", "70000"]);
  assert.equal(range.code, 2);
  assert.match(range.stderr, /--port/);
  const help = await runCli(["dashboard", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--runs-dir/);
  assert.match(help.stdout, /--token/);
});
