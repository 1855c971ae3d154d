import assert from "node:assert/strict";
import { cliCommand, withTempDir } from "../helpers.ts";

Deno.test("lab dashboard - a training lab serves its run page live, then stops with the run", async () => {
  await withTempDir(async (runsDir) => {
    const child = cliCommand([
      "lab",
      "vae-mnist",
      "--backend",
      "wasm",
      "--runs-dir",
      runsDir,
      "--max-steps",
      "300",
      "--batch-size",
      "32",
      "--sample-count",
      "0",
    ]).spawn();
    await child.stdout.cancel();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let log = "", url = "";
    while (!url) {
      const { value, done } = await reader.read();
      if (done) break;
      log += value;
      url = log.match(/^dashboard: (http\S+)/m)?.[1] ?? "";
    }
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/runs\/vae-mnist-/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Variational autoencoder on MNIST/);
    const runInfo = await fetch(new URL(`/api/${new URL(url).pathname.slice(1)}`, url));
    assert.equal((await runInfo.json()).info.lab, "vae-mnist");
    // Drain the rest of the log; the process must exit on its own once the run finishes.
    while (!(await reader.read()).done);
    const status = await child.status;
    assert.equal(status.code, 0);
    await assert.rejects(fetch(url), "the dashboard stopped with the run");
  });
});
