/**
 * What this machine offers for training, and what is missing, for `deno task doctor`. Gathering
 * only reads (the adapter, a few files, `ldconfig -p`, whether the system BLAS loads); `diagnose` turns the facts into findings
 * in plain words, each problem with the package or setting that fixes it. Facts come in through
 * `gatherFacts` options, so tests can simulate a missing adapter or a missing Vulkan loader.
 *
 * Why Vulkan: Deno's WebGPU (wgpu) reaches an NVIDIA GPU through the Vulkan loader
 * (libvulkan.so.1) and the driver's ICD manifest (nvidia_icd.json). Without them
 * `requestAdapter()` returns null, or only a software rasteriser, and says nothing.
 */
import { statfs } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type AdapterFacts, adapterFacts, resolveBackend } from "../lib/backend.ts";
import { openSystemBlas } from "../lib/kernels/system_blas.ts";
import { oneDnnAbsence, openOneDnn } from "../lib/kernels/onednn.ts";
import type { BackendInfo } from "../lib/run/types.ts";
import { tf } from "../lib/tf.ts";

/** The adapter limits that bound tfjs's tensors and kernels. */
const KEY_LIMITS = [
  "maxBufferSize",
  "maxStorageBufferBindingSize",
  "maxStorageBuffersPerShaderStage",
  "maxComputeWorkgroupSizeX",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupStorageSize",
  "maxComputeWorkgroupsPerDimension",
] as const;

export interface AdapterReport extends AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  name: string;
  limits: Record<string, number>;
  features: string[];
}

export interface LinuxFacts {
  /** where libvulkan.so.1 is, or null */
  vulkanLoader: string | null;
  /** Vulkan ICD manifests found (each names one driver) */
  vulkanIcds: string[];
  /** first line of /proc/driver/nvidia/version: the NVIDIA kernel driver is loaded */
  nvidiaDriver: string | null;
  /** an NVIDIA device on the PCI bus, driver or not */
  nvidiaPci: boolean;
  container: boolean;
  nvidiaVisibleDevices: string | null;
  nvidiaDriverCapabilities: string | null;
}

export interface DoctorFacts {
  deno: { version: string; v8: string; typescript: string; target: string; compiled: boolean };
  adapter: AdapterReport | null;
  linux: LinuxFacts | null;
  /**
   * the system BLAS the `blas` backend would use (lib/kernels/system_blas.ts), or null; and oneDNN,
   * which takes its convolutions (lib/kernels/onednn.ts), or null with the reason it is not used
   */
  cpu: { wasmSimd: boolean; blas: string | null; onednn: string | null; onednnAbsence: string; cores: number };
  /** what `--backend auto` picks here, and why (lib/backend.ts decides) */
  auto: BackendInfo;
  memory: { totalBytes: number; availableBytes: number } | null;
  disk: { runsDir: string; checkedPath: string; freeBytes: number } | null;
}

export interface Finding {
  level: "ok" | "note" | "problem";
  text: string;
  fix?: string;
}

/** The few reads the Linux checks make, injectable for tests. */
export interface SystemView {
  /** stdout of a command, or null when it cannot run */
  run(command: string, args: string[]): Promise<string | null>;
  readText(path: string): Promise<string | null>;
  /** names in a folder, [] when it does not exist */
  list(path: string): Promise<string[]>;
  env(name: string): string | undefined;
}

export const realSystem: SystemView = {
  async run(command, args) {
    try {
      const { success, stdout } = await new Deno.Command(command, { args, stdout: "piped", stderr: "null" }).output();
      return success ? new TextDecoder().decode(stdout) : null;
    } catch {
      return null;
    }
  },
  readText: (path) => Deno.readTextFile(path).catch(() => null),
  async list(path) {
    try {
      return (await Array.fromAsync(Deno.readDir(path))).map((entry) => entry.name).sort();
    } catch {
      return [];
    }
  },
  env: (name) => Deno.env.get(name),
};

const LIB_DIRS = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64"]
  .concat(["/usr/lib", "/usr/local/lib"]);
const ICD_DIRS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];

/** Where the dynamic linker finds `soname`: `ldconfig -p` first, then the usual folders. */
export async function findLibrary(sys: SystemView, soname: string): Promise<string | null> {
  const cache = (await sys.run("ldconfig", ["-p"])) ?? (await sys.run("/sbin/ldconfig", ["-p"])) ?? "";
  const line = cache.split("\n").find((l) => l.trim().startsWith(soname + " ") || l.trim().startsWith(soname + "."));
  if (line?.includes("=>")) return line.split("=>")[1].trim();
  for (const dir of LIB_DIRS) {
    const name = (await sys.list(dir)).find((n) => n === soname || n.startsWith(soname + "."));
    if (name) return `${dir}/${name}`;
  }
  return null;
}

export async function linuxFacts(sys: SystemView): Promise<LinuxFacts> {
  const icds = (await Promise.all(ICD_DIRS.map(async (dir) => (await sys.list(dir)).map((n) => `${dir}/${n}`)))).flat()
    .filter((path) => path.endsWith(".json"));
  for (const variable of ["VK_DRIVER_FILES", "VK_ICD_FILENAMES"]) icds.push(...(sys.env(variable)?.split(":") ?? []));
  const pci = await sys.list("/sys/bus/pci/devices");
  const vendors = await Promise.all(pci.map((d) => sys.readText(`/sys/bus/pci/devices/${d}/vendor`)));
  const version = await sys.readText("/proc/driver/nvidia/version");
  return {
    vulkanLoader: await findLibrary(sys, "libvulkan.so.1"),
    vulkanIcds: icds.filter(Boolean),
    nvidiaDriver: version?.split("\n")[0].trim() || null,
    nvidiaPci: vendors.some((v) => v?.trim() === "0x10de"),
    container: (await sys.readText("/.dockerenv")) !== null || (await sys.readText("/run/.containerenv")) !== null ||
      sys.env("container") !== undefined,
    nvidiaVisibleDevices: sys.env("NVIDIA_VISIBLE_DEVICES") ?? null,
    nvidiaDriverCapabilities: sys.env("NVIDIA_DRIVER_CAPABILITIES") ?? null,
  };
}

export interface GatherOptions {
  runsDir: string;
  /** stands in for navigator.gpu.requestAdapter() */
  requestAdapter?: () => Promise<GPUAdapter | null>;
  system?: SystemView;
  os?: typeof Deno.build.os;
}

export async function gatherFacts(options: GatherOptions): Promise<DoctorFacts> {
  const sys = options.system ?? realSystem;
  const os = options.os ?? Deno.build.os;
  const request = options.requestAdapter ?? (async () => (await navigator.gpu?.requestAdapter()) ?? null);
  const gpu = await request().catch(() => null);
  const adapter = gpu ? adapterReport(gpu) : null;
  const memory = os === "windows" ? null : Deno.systemMemoryInfo();
  return {
    deno: {
      version: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      target: Deno.build.target,
      compiled: Deno.build.standalone,
    },
    adapter,
    linux: os === "linux" ? await linuxFacts(sys) : null,
    cpu: {
      wasmSimd: Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")),
      blas: openSystemBlas()?.path ?? null,
      onednn: openOneDnn()?.description ?? null,
      onednnAbsence: oneDnnAbsence(),
      cores: navigator.hardwareConcurrency,
    },
    auto: await resolveBackend("auto", () => Promise.resolve(adapter)),
    memory: memory && { totalBytes: memory.total, availableBytes: memory.available },
    disk: await freeDisk(options.runsDir),
  };
}

function adapterReport(adapter: GPUAdapter): AdapterReport {
  const { vendor, architecture, device, description } = adapter.info;
  const limits = Object.fromEntries(KEY_LIMITS.map((key) => [key, adapter.limits[key]]));
  return {
    ...adapterFacts(adapter.info),
    vendor,
    architecture,
    device,
    name: description,
    limits,
    features: [...adapter.features].sort(),
  };
}

/** Free space where runs will be written: the runs folder, or its nearest existing parent. */
async function freeDisk(runsDir: string): Promise<DoctorFacts["disk"]> {
  let path = resolve(runsDir);
  while (true) {
    try {
      const stats = await statfs(path);
      return { runsDir, checkedPath: path, freeBytes: stats.bavail * stats.bsize };
    } catch {
      if (dirname(path) === path) return null;
      path = dirname(path);
    }
  }
}

const GIB = 2 ** 30;

/** Findings in plain words: what works, what is only worth knowing, and what to fix. */
export function diagnose(facts: DoctorFacts): Finding[] {
  const { adapter, linux, cpu } = facts;
  const found: Finding[] = [];
  if (adapter && !adapter.isSoftware) {
    found.push({ level: "ok", text: `WebGPU: a GPU adapter, ${adapter.description}.` });
  } else if (adapter) {
    found.push({
      level: "note",
      text: `WebGPU: only a software adapter (${adapter.description}), a CPU rasteriser slower than wasm: ` +
        "fine for tests, not for training.",
    });
  } else {
    found.push({ level: "problem", text: "WebGPU: no adapter found; `--backend webgpu` cannot run." });
  }
  if (linux) found.push(...diagnoseLinuxGpu(linux, adapter));
  found.push(
    cpu.wasmSimd ? { level: "ok", text: "CPU: the wasm backend with SIMD." } : {
      level: "note",
      text: "CPU: this runtime's WebAssembly lacks SIMD; the wasm backend runs several times slower.",
    },
    cpu.blas
      ? { level: "ok", text: `system BLAS: ${cpu.blas}, for \`--backend blas\` (wasm with its matrix products there).` }
      : {
        level: "note",
        text: "system BLAS: none found, so `--backend blas`, the faster CPU path, is not available.",
        fix: "sudo apt-get install libopenblas0-pthread",
      },
    cpu.onednn
      ? { level: "ok", text: `oneDNN: ${cpu.onednn}, for \`--backend blas\`'s convolutions and their gradients.` }
      : {
        level: "note",
        text: `oneDNN: not used (${cpu.onednnAbsence}), so \`--backend blas\` convolves as im2col + BLAS, ` +
          "about 3 times slower (a conv lab's step 1.3 to 1.5 times as long).",
        fix: "sudo apt-get install libdnnl2",
      },
    autoFinding(facts),
  );
  if (facts.memory && facts.memory.availableBytes < 2 * GIB) {
    found.push({ level: "problem", text: `memory: only ${gib(facts.memory.availableBytes)} available.` });
  }
  if (facts.disk && facts.disk.freeBytes < 2 * GIB) {
    found.push({
      level: "problem",
      text: `disk: only ${gib(facts.disk.freeBytes)} free for ${facts.disk.runsDir}; checkpoints and media need room.`,
      fix: "free some space, or point --runs-dir at a bigger disk",
    });
  }
  return found;
}

function diagnoseLinuxGpu(linux: LinuxFacts, adapter: AdapterReport | null): Finding[] {
  const found: Finding[] = [];
  const nvidia = linux.nvidiaDriver !== null || linux.nvidiaPci || linux.nvidiaVisibleDevices !== null;
  const realGpu = adapter !== null && !adapter.isSoftware;
  if (linux.nvidiaPci && !linux.nvidiaDriver && !linux.container) {
    found.push({
      level: "problem",
      text: "NVIDIA: a GPU is on the PCI bus but its driver is not loaded (no /proc/driver/nvidia/version).",
      fix: "install the NVIDIA driver (Ubuntu: `sudo ubuntu-drivers install`; Debian: `sudo apt-get install " +
        "nvidia-driver` from non-free), then reboot",
    });
  } else if (linux.nvidiaDriver) {
    found.push({ level: "ok", text: `NVIDIA driver: ${linux.nvidiaDriver}.` });
  }
  if (linux.vulkanLoader) {
    found.push({ level: "ok", text: `Vulkan loader: ${linux.vulkanLoader}.` });
  } else {
    found.push({
      level: nvidia || !adapter ? "problem" : "note",
      text: "Vulkan loader: libvulkan.so.1 not found, so WebGPU cannot reach a GPU through Vulkan" +
        (adapter ? " (the adapter above comes through OpenGL/EGL)." : " and requestAdapter() returns null."),
      fix: "sudo apt-get install libvulkan1",
    });
  }
  const nvidiaIcd = linux.vulkanIcds.find((path) => /nvidia/i.test(path));
  if (nvidia && !nvidiaIcd) {
    found.push({
      level: "problem",
      text: "NVIDIA Vulkan ICD: no nvidia_icd.json in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d, so the " +
        "Vulkan loader does not know the NVIDIA driver.",
      fix: linux.container
        ? "start the container with NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics (the graphics capability " +
          "mounts the ICD)"
        : "install the driver's Vulkan part, matching the driver version: Ubuntu `sudo apt-get install " +
          "libnvidia-gl-<major version>`, Debian `sudo apt-get install nvidia-vulkan-icd`",
    });
  } else if (nvidiaIcd) {
    found.push({ level: "ok", text: `NVIDIA Vulkan ICD: ${nvidiaIcd}.` });
  }
  if (linux.container && linux.nvidiaVisibleDevices !== null) {
    // The NVIDIA container toolkit's default capabilities are compute,utility: no Vulkan.
    const capabilities = (linux.nvidiaDriverCapabilities ?? "compute,utility").split(",").map((c) => c.trim());
    if (!capabilities.includes("graphics") && !capabilities.includes("all")) {
      found.push({
        level: "problem",
        text:
          `container: NVIDIA_DRIVER_CAPABILITIES is ${linux.nvidiaDriverCapabilities ?? "unset (compute,utility)"}` +
          "; without graphics the driver's Vulkan libraries are not mounted.",
        fix: "NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics (e.g. `docker run --gpus all -e " +
          "NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics ...`)",
      });
    }
  }
  if (nvidia && adapter && !realGpu) {
    found.push({
      level: "problem",
      text: "an NVIDIA GPU is present but WebGPU only finds a software adapter: fix the items above.",
    });
  }
  return found;
}

export const gib = (bytes: number): string => `${(bytes / GIB).toFixed(1)} GiB`;

/**
 * What `--backend auto` will do here. With more than one candidate it times them on a lab's first
 * run of each config (runner/auto_backend.ts); the fixed rule (lib/backend.ts) is what it falls
 * back to where nothing can be timed, and all it has with a single candidate.
 */
function autoFinding(facts: DoctorFacts): Finding {
  const candidates = [...(facts.adapter ? ["webgpu"] : []), ...(facts.cpu.blas ? ["blas"] : []), "wasm"];
  const rule = `${facts.auto.name}: ${facts.auto.reason.replace(/^auto: /, "")}`;
  if (candidates.length === 1) return { level: "ok", text: `--backend auto picks ${rule}.` };
  return {
    level: "ok",
    text: `--backend auto times a few training steps on ${candidates.join(", ")} the first time a lab runs a ` +
      `config, keeps the fastest and remembers it (in the cache folder, ~/.cache/tflab); where nothing can be ` +
      `timed it takes ${rule}.`,
  };
}
