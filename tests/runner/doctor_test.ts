import assert from "node:assert/strict";
import { probeWebGpu, resolveBackend } from "../../lib/backend.ts";
import { diagnose, type Finding, gatherFacts, type SystemView } from "../../runner/doctor.ts";
import { runCli, withTempDir } from "../helpers.ts";

/** A Linux machine made of the given files, command outputs and environment variables. */
function fakeSystem(
  { files = {}, ldconfig = "", env = {} }: {
    files?: Record<string, string>;
    ldconfig?: string;
    env?: Record<string, string>;
  },
): SystemView {
  return {
    run: (command) => Promise.resolve(command.endsWith("ldconfig") ? ldconfig : null),
    readText: (path) => Promise.resolve(files[path] ?? null),
    list: (dir) =>
      Promise.resolve(
        Object.keys(files).filter((p) => p.startsWith(dir + "/")).map((p) => p.slice(dir.length + 1).split("/")[0]),
      ),
    env: (name) => env[name],
  };
}

const problems = (findings: Finding[]) => findings.filter((f) => f.level === "problem");
const fixes = (findings: Finding[]) => problems(findings).map((f) => f.fix ?? "").join("\n");

/** A GPUAdapter as Deno shows one, reduced to what the doctor reads. */
function fakeAdapter(description: string, isFallbackAdapter = false): GPUAdapter {
  return {
    info: { vendor: "4318", architecture: "", device: "8960", description, isFallbackAdapter },
    limits: { maxBufferSize: 2 ** 34, maxStorageBufferBindingSize: 2 ** 31, maxComputeWorkgroupSizeX: 1024 },
    features: new Set(["shader-f16"]),
  } as unknown as GPUAdapter;
}

Deno.test("doctor - no adapter and no libvulkan.so.1: advises libvulkan1, auto picks a CPU path", async () => {
  const facts = await gatherFacts({
    runsDir: "runs",
    requestAdapter: () => Promise.resolve(null),
    system: fakeSystem({ ldconfig: "\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n" }),
    os: "linux",
  });
  assert.equal(facts.adapter, null);
  assert.equal(facts.linux?.vulkanLoader, null);
  assert.deepEqual(facts.auto, await resolveBackend("auto", () => Promise.resolve(null)));
  assert.match(facts.auto.reason, /no WebGPU adapter was found/);
  assert.equal(facts.auto.name, facts.cpu.blas ? "blas" : "wasm");
  // oneDNN: named when used, else the reason, and the package that gives it
  assert.ok(facts.cpu.onednn ? facts.cpu.onednnAbsence === "" : facts.cpu.onednnAbsence.length > 0);
  const findings = diagnose(facts);
  if (!facts.cpu.onednn) assert.match(fixes(findings), /apt-get install libdnnl2/);
  assert.match(problems(findings).map((f) => f.text).join("\n"), /no adapter found/);
  assert.match(fixes(findings), /sudo apt-get install libvulkan1/);
});

Deno.test("doctor - NVIDIA in a container without the graphics capability: names the setting", async () => {
  const facts = await gatherFacts({
    runsDir: "runs",
    requestAdapter: () => Promise.resolve(fakeAdapter("llvmpipe (LLVM 15.0.6, 256 bits)", true)),
    system: fakeSystem({
      files: { "/.dockerenv": "", "/proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX x86_64 550.54\n" },
      ldconfig: "\tlibvulkan.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan.so.1\n",
      env: { NVIDIA_VISIBLE_DEVICES: "all", NVIDIA_DRIVER_CAPABILITIES: "compute,utility" },
    }),
    os: "linux",
  });
  assert.equal(facts.linux?.vulkanLoader, "/lib/x86_64-linux-gnu/libvulkan.so.1");
  assert.equal(facts.adapter?.isSoftware, true);
  assert.notEqual(facts.auto.name, "webgpu");
  const advice = fixes(diagnose(facts));
  assert.match(advice, /NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics/);
  assert.doesNotMatch(advice, /libvulkan1/);
});

Deno.test("doctor - NVIDIA host without the driver's Vulkan ICD: advises the driver's Vulkan package", async () => {
  const facts = await gatherFacts({
    runsDir: "runs",
    requestAdapter: () => Promise.resolve(null),
    system: fakeSystem({
      files: {
        "/proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX x86_64 550.54\n",
        "/usr/lib/x86_64-linux-gnu/libvulkan.so.1": "",
        "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json": "{}",
      },
    }),
    os: "linux",
  });
  assert.equal(facts.linux?.vulkanLoader, "/usr/lib/x86_64-linux-gnu/libvulkan.so.1", "found without ldconfig");
  assert.deepEqual(facts.linux?.vulkanIcds, ["/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"]);
  assert.match(fixes(diagnose(facts)), /libnvidia-gl-<major version>.*nvidia-vulkan-icd/);
});

Deno.test("doctor - a real GPU adapter: auto picks webgpu, with the adapter's limits reported", async () => {
  const facts = await gatherFacts({
    runsDir: "runs",
    requestAdapter: () => Promise.resolve(fakeAdapter("NVIDIA H100 80GB HBM3")),
    system: fakeSystem({
      files: {
        "/proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX x86_64 550.54\n",
        "/usr/share/vulkan/icd.d/nvidia_icd.json": "{}",
      },
      ldconfig: "\tlibvulkan.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan.so.1\n",
    }),
    os: "linux",
  });
  assert.equal(facts.auto.name, "webgpu");
  assert.equal(facts.auto.adapter, "4318 NVIDIA H100 80GB HBM3");
  assert.equal(facts.adapter?.limits.maxBufferSize, 2 ** 34);
  assert.deepEqual(problems(diagnose(facts)), []);
});

Deno.test("doctor - on this machine: --json matches the backend's own probe; a software adapter means the CPU", async () => {
  await withTempDir(async (dir) => {
    const [json, text, adapter, auto] = await Promise.all([
      runCli(["doctor", "--json", "--runs-dir", `${dir}/runs`]),
      runCli(["doctor"]),
      probeWebGpu(),
      resolveBackend("auto"),
    ]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.deno.version, Deno.version.deno);
    assert.equal(report.adapter?.description, adapter?.description);
    assert.equal(report.adapter?.isSoftware, adapter?.isSoftware);
    assert.deepEqual(report.auto, auto);
    if (adapter?.isSoftware) {
      assert.match(report.auto.name, /^(blas|wasm)$/);
      assert.match(text.stdout, /software adapter: /);
    }
    if (adapter) assert.equal(typeof report.adapter.limits.maxStorageBufferBindingSize, "number");
    assert.equal(report.disk.checkedPath, dir, "the nearest existing folder of the runs dir");
    assert.ok(report.disk.freeBytes > 0 && report.memory.availableBytes > 0);
    assert.equal(typeof report.cpu.wasmSimd, "boolean");
    // more than one candidate (wasm, and blas or an adapter): auto times them, the fixed rule is its fallback
    const candidates = 1 + (report.cpu.blas ? 1 : 0) + (adapter ? 1 : 0);
    const autoLine = (f: Finding) =>
      candidates > 1
        ? f.text.startsWith("--backend auto times a few training steps on ") && f.text.includes(`takes ${auto.name}: `)
        : f.text.startsWith(`--backend auto picks ${auto.name}: `);
    assert.ok(report.findings.some(autoLine), "the finding says what --backend auto does here");

    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /nothing was changed/);
  });
});
