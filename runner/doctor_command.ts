/**
 * `deno task doctor [--json] [--runs-dir DIR]` (compiled: `<exe> doctor`): what this machine offers
 * for training and what is missing, with the fix for each problem. It only looks; it changes
 * nothing. `--json` prints the facts and findings as one JSON object, for scripts.
 */
import { diagnose, type DoctorFacts, type Finding, gatherFacts, gib } from "./doctor.ts";
import { formatFlags, parseFlags } from "../lib/hparams.ts";

export const doctorFlags = {
  json: { type: "bool", default: false, help: "print the facts and findings as JSON" },
  runsDir: { type: "string", default: "runs", help: "folder whose disk is checked for free space" },
} as const;

export async function runDoctor(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    return console.log(`usage: deno task doctor [--flag ...]\n\n${formatFlags(doctorFlags)}`);
  }
  const { config } = parseFlags(doctorFlags, argv);
  const report = await doctorReport(config.runsDir);
  console.log(config.json ? JSON.stringify(report, null, 2) : formatReport(report));
}

export async function doctorReport(runsDir: string): Promise<DoctorFacts & { findings: Finding[] }> {
  const facts = await gatherFacts({ runsDir });
  return { ...facts, findings: diagnose(facts) };
}

/** The report for a person: the facts, one line each, then the findings with their fixes. */
export function formatReport(report: DoctorFacts & { findings: Finding[] }): string {
  const { deno, adapter, linux, cpu, memory, disk } = report;
  const rows: [string, string][] = [
    ["Deno", `${deno.version} (${deno.target}${deno.compiled ? ", compiled executable" : ""})`],
    [
      "WebGPU",
      adapter
        ? `${adapter.isSoftware ? "software adapter" : "GPU"}: ${adapter.name || adapter.description} ` +
          `(vendor ${adapter.vendor || "?"}, architecture ${adapter.architecture || "?"}, device ${
            adapter.device || "?"
          })`
        : "no adapter",
    ],
  ];
  const limits = Object.entries(adapter?.limits ?? {}).map(([k, v]) => `${k} ${formatLimit(k, v)}`);
  for (let i = 0; i < limits.length; i += 3) rows.push([i ? "" : "  limits", limits.slice(i, i + 3).join(", ")]);
  if (linux) {
    rows.push(
      ["Vulkan", `loader ${linux.vulkanLoader ?? "not found"}; ICDs ${linux.vulkanIcds.join(", ") || "none"}`],
      ["NVIDIA", linux.nvidiaDriver ?? (linux.nvidiaPci ? "a PCI device, no driver loaded" : "no GPU or driver")],
    );
    if (linux.container) {
      const nvidia = linux.nvidiaVisibleDevices === null
        ? ""
        : `; NVIDIA_VISIBLE_DEVICES=${linux.nvidiaVisibleDevices}` +
          ` NVIDIA_DRIVER_CAPABILITIES=${linux.nvidiaDriverCapabilities ?? "(unset)"}`;
      rows.push(["container", `yes${nvidia}`]);
    }
  }
  rows.push(
    [
      "CPU",
      `${cpu.cores} cores; wasm SIMD ${cpu.wasmSimd ? "yes" : "no"}; system BLAS ${cpu.blas ?? "not found"}; ` +
      `oneDNN ${cpu.onednn ?? "not used"}`,
    ],
    ["auto", `${report.auto.name}: ${report.auto.reason.replace(/^auto: /, "")}`],
    ["memory", memory ? `${gib(memory.availableBytes)} available of ${gib(memory.totalBytes)}` : "unknown"],
    ["disk", disk ? `${gib(disk.freeBytes)} free for ${disk.runsDir} (at ${disk.checkedPath})` : "unknown"],
  );
  const mark = { ok: "ok     ", note: "note   ", problem: "PROBLEM" };
  const findings = report.findings.flatMap((f) => [
    `  ${mark[f.level]} ${f.text}`,
    ...(f.fix ? [`          fix: ${f.fix}`] : []),
  ]);
  const problems = report.findings.filter((f) => f.level === "problem").length;
  return [
    "doctor: what this machine offers for training (nothing was changed)",
    "",
    ...rows.map(([k, v]) => `  ${k.padEnd(10)}${v}`),
    "",
    ...findings,
    "",
    problems ? `${problems} problem${problems > 1 ? "s" : ""} to fix (see fix: above)` : "no problems found",
  ].join("\n");
}

function formatLimit(key: string, value: number): string {
  return /Size$/.test(key) && value >= 2 ** 20 ? `${(value / 2 ** 20).toFixed(0)} MiB` : String(value);
}
