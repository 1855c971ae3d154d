/**
 * The command line: `deno task lab <id> [flags]`, `deno task sweep <id> [flags]`, `deno task
 * dashboard [flags]`, `deno task doctor [--json]`, `deno task export <run-dir>... [flags]` and
 * `deno task worker --store URL` (runs the trials of sweeps queued there),
 * `deno task store <list | export | import> --store URL` (and, compiled by `deno task compile`,
 * `<exe> lab <id> [flags]`, `<exe> sweep ...`, `<exe> dashboard [flags]`, `<exe> doctor`, `<exe> export`).
 * Unknown commands and labs are answered with the nearest names.
 */
import { installCourseHook } from "./course/lab_hook.ts";
import { didYouMean, UsageError } from "./lib/errors.ts";
import { exitOnError } from "./runner/exit_on_error.ts";
import { serveDashboardWith } from "./runner/lab_hooks.ts";
import { LABS } from "./labs/mod.ts";
import { startLabDashboard } from "./web/lab_dashboard.ts";

const COMMANDS = ["lab", "sweep", "worker", "dashboard", "doctor", "export", "store"] as const;

async function listLabs(): Promise<string> {
  const rows = await Promise.all(
    Object.entries(LABS).map(async ([id, load]) => `  ${id.padEnd(20)}${(await load()).lab.title}`),
  );
  return `usage: deno task lab <lab> [--flag value ...]   (--help after a lab lists its flags)\n\nlabs:\n${
    rows.join("\n")
  }`;
}

async function runLab(args: string[]): Promise<void> {
  const [id, ...rest] = args;
  if (!id || id === "--help" || id === "-h") {
    console.log(await listLabs());
    if (!id) throw new UsageError("Name a lab to run.");
    return;
  }
  installCourseHook(); // a student copy names the exercises a lab still needs
  serveDashboardWith(startLabDashboard); // unless --no-dashboard
  const load = LABS[id];
  if (!load) {
    throw new UsageError(
      `Unknown lab '${id}'.${didYouMean(id, Object.keys(LABS))} Labs: ${Object.keys(LABS).join(", ")}.`,
    );
  }
  await (await load()).main(rest);
}

export async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case "lab":
      return await runLab(rest);
    case "sweep": {
      const { runSweep } = await import("./sweep/sweep_command.ts");
      return await runSweep(rest);
    }
    case "worker": {
      const { runWorker } = await import("./sweep/worker.ts");
      return await runWorker(rest);
    }
    case "dashboard": {
      // Loaded on demand: a lab run without the dashboard never imports the web server.
      const { runDashboard } = await import("./web/dashboard_command.ts");
      return await runDashboard(rest);
    }
    case "doctor": {
      const { runDoctor } = await import("./runner/doctor_command.ts");
      return await runDoctor(rest);
    }
    case "export": {
      const { runExport } = await import("./runner/export_command.ts");
      return await runExport(rest);
    }
    case "store": {
      const { runStoreCommand } = await import("./runner/store_command.ts");
      return await runStoreCommand(rest);
    }
    default:
      throw new UsageError(
        `Unknown command '${command ?? ""}'.${didYouMean(command ?? "", COMMANDS)} Commands: ${COMMANDS.join(", ")}.`,
      );
  }
}

if (import.meta.main) await exitOnError(() => main(Deno.args));
