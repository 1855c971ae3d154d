/**
 * `--backend auto` by measurement: the fastest candidate wins whatever the adapter is called, the
 * decision is cached per machine, lab and config shape, a broken cache costs a warning, and on
 * this machine (llvmpipe, no GPU) a real probe of a tiny vae-mnist picks a CPU path by timing it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { probeWebGpu } from "../../lib/backend.ts";
import { readRunInfo } from "../../lib/run/run_reader.ts";
import type { Spec } from "../../lib/hparams.ts";
import { measuredBackend, PROBE_WINDOWS } from "../../runner/auto_backend.ts";
import { probeLab, type ProbeLimits, type ProbeResult } from "../../runner/backend_probe.ts";
import { REPO_ROOT, withTempDir } from "../helpers.ts";

const SPEC = {
  batchSize: { type: "int", default: 128, help: "" },
  lr: { type: "float", default: 1e-3, help: "" },
  epochs: { type: "int", default: 10, help: "" },
} as const satisfies Spec;
const GPU = { description: "NVIDIA H100 80GB HBM3", isSoftware: false };
const CANDIDATES = [{ name: "webgpu" as const, adapter: GPU }, { name: "blas" as const }, { name: "wasm" as const }];

/** A probe that answers from a table of ms per step, and counts its calls. */
function fakeProbe(ms: Record<string, number>) {
  const calls: { backend: string; limits: ProbeLimits }[] = [];
  const probe = (backend: string, limits: ProbeLimits): Promise<ProbeResult> => {
    calls.push({ backend, limits });
    return Promise.resolve({ msPerStep: ms[backend], timed: { steps: 30, ms: 30 * ms[backend] }, trainingMs: 2000 });
  };
  return { probe, calls };
}

const options = (cacheFile: string, probe: ReturnType<typeof fakeProbe>["probe"], config = {}) => ({
  labId: "vae-mnist",
  spec: SPEC,
  config: { batchSize: 128, lr: 1e-3, epochs: 10, seed: 1, ...config },
  candidates: CANDIDATES,
  probe,
  cacheFile,
});

Deno.test("auto - an injected probe with the GPU faster picks webgpu; the next run reads the cache, probing nothing", async () => {
  await withTempDir(async (dir) => {
    const cacheFile = join(dir, "tflab", "backend-choices.json");
    const gpuFaster = fakeProbe({ webgpu: 2.5, blas: 6, wasm: 18 });
    const first = await measuredBackend(options(cacheFile, gpuFaster.probe));
    assert.equal(first.name, "webgpu");
    assert.equal(first.adapter, GPU.description);
    assert.deepEqual(first.measured?.candidates, { webgpu: 2.5, blas: 6, wasm: 18 });
    assert.equal(first.measured?.cached, false);
    assert.match(
      first.reason,
      /^auto: the fastest when timed, in ms per training step: webgpu 2.50, blas 6.00, wasm 18.0/,
    );
    assert.deepEqual(gpuFaster.calls.map((c) => c.backend), ["webgpu", "blas", "wasm"]);
    assert.equal(gpuFaster.calls[0].limits.windows, PROBE_WINDOWS);
    assert.deepEqual(
      gpuFaster.calls[1].limits.fastest,
      { name: "webgpu", steps: 30, ms: 75 },
      "the others race webgpu",
    );

    // Another seed, learning rate or budget: the same shape, from the cache.
    const again = fakeProbe({ webgpu: 100, blas: 1, wasm: 1 });
    const cached = await measuredBackend(options(cacheFile, again.probe, { seed: 7, lr: 0.1, epochs: 50 }));
    assert.equal(again.calls.length, 0);
    assert.equal(cached.name, "webgpu");
    assert.equal(cached.measured?.cached, true);
    assert.match(cached.reason, /cached in .*backend-choices\.json/);

    // A batch size changes what a step computes: measured again, and now the CPU is faster.
    const bigger = await measuredBackend(options(cacheFile, again.probe, { batchSize: 16 }));
    assert.equal(again.calls.length, 3);
    assert.equal(bigger.name, "blas", "the first of the equally fast");
    const file = JSON.parse(await Deno.readTextFile(cacheFile));
    assert.equal(file.entries.length, 2);
  });
});

Deno.test("auto - a corrupted cache file is ignored with a warning and rewritten; no candidate timed falls back to the rule", async () => {
  await withTempDir(async (dir) => {
    const cacheFile = join(dir, "backend-choices.json");
    await Deno.writeTextFile(cacheFile, '{"entries": [{"key": ');
    const warnings: string[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => warnings.push(args.join(" "));
    try {
      const chosen = await measuredBackend(options(cacheFile, fakeProbe({ webgpu: 9, blas: 3, wasm: 4 }).probe));
      assert.equal(chosen.name, "blas");
      const none = await measuredBackend({
        ...options(join(dir, "other.json"), () => Promise.resolve({ msPerStep: null, note: "the lab exited" })),
      });
      assert.equal(none.name, "webgpu", "the rule: a real GPU adapter");
      assert.match(none.reason, /no candidate could be timed \(webgpu \(the lab exited\)/);
      assert.equal(await Deno.stat(join(dir, "other.json")).then(() => true, () => false), false, "nothing cached");
    } finally {
      console.error = error;
    }
    assert.ok(
      warnings.some((w) =>
        /the cache .*backend-choices\.json cannot be read .* it is ignored and will be rewritten/.test(w)
      ),
    );
    assert.equal(JSON.parse(await Deno.readTextFile(cacheFile)).entries[0].chosen, "blas");
  });
});

Deno.test("auto - runs started together take turns: one times the candidates, the others read its answer", async () => {
  await withTempDir(async (dir) => {
    const cacheFile = join(dir, "backend-choices.json");
    const slow = fakeProbe({ webgpu: 9, blas: 3, wasm: 4 });
    const probe = async (backend: string, limits: ProbeLimits) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return await slow.probe(backend, limits);
    };
    const chosen = await Promise.all(
      [1, 2, 3].map((seed) => measuredBackend(options(cacheFile, probe, { seed }))),
    );
    assert.equal(slow.calls.length, 3, "one run's three candidates");
    assert.deepEqual(chosen.map((c) => c.name), ["blas", "blas", "blas"]);
    assert.equal(chosen.filter((c) => !c.measured?.cached).length, 1, "whichever took the lock first measured");
  });
});

Deno.test("auto - a probe whose lab stops before its timed windows says why, in the lab's own words", async () => {
  const result = await probeLab("vae-mnist", ["--hidden", "0"], "wasm", { windows: 3, warmupMs: 10_000 });
  assert.equal(result.msPerStep, null);
  assert.match(result.note!, /^the lab exited before 3 timed windows: error: Invalid value '0' for --hidden/);
});

Deno.test("auto - on this machine the real probe of a tiny vae-mnist picks a CPU path by timing it, records it, then reads the cache", async () => {
  const adapter = await probeWebGpu();
  if (!adapter?.isSoftware) {
    console.warn(
      `skipped: needs a software WebGPU adapter (llvmpipe) to time; found ${adapter?.description ?? "none"}`,
    );
    return;
  }
  await withTempDir(async (dir) => {
    const tiny = ["--hidden", "16", "--latent", "2", "--batch-size", "16", "--log-every", "2", "--eval-images", "100"]
      .concat(["--sample-count", "0", "--max-steps", "8", "--no-dashboard", "--runs-dir", join(dir, "runs")]);
    const run = async () => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "cli.ts", "lab", "vae-mnist", ...tiny],
        cwd: REPO_ROOT,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1", TFLAB_CACHE_DIR: join(dir, "cache") },
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 0, stderr);
      return stderr;
    };
    const first = await run();
    console.log(first.split("\n").filter((line) => /^(backend| {2}\w+:)/.test(line)).join("\n"));
    assert.match(first, /backend: auto: timing 3 training windows/);
    const [runDir] = [...Deno.readDirSync(join(dir, "runs"))].map((e) => join(dir, "runs", e.name));
    const { backend } = await readRunInfo(runDir);
    const measured = backend.measured!;
    assert.match(backend.name, /^(blas|wasm)$/);
    assert.equal(measured.chosen, backend.name);
    assert.equal(measured.cached, false);
    assert.deepEqual(Object.keys(measured.candidates).sort(), ["blas", "wasm", "webgpu"]);
    const cpu = measured.candidates[backend.name]!;
    const gpu = measured.candidates.webgpu;
    assert.ok(
      gpu === null ? /slower than|no training step/.test(measured.notes!.webgpu) : gpu > cpu,
      JSON.stringify(measured),
    );

    const second = await run();
    assert.doesNotMatch(second, /timing 3 training windows/);
    assert.match(second, new RegExp(`backend: ${backend.name} - auto: .*cached in`));
  });
});
