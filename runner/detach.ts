/**
 * `--detach`: starts the same lab command, less `--detach`, as a process in a session of its own
 * (setsid), stdin closed and its output appended to a log file, so it keeps running when the
 * terminal or SSH connection that started it closes. It waits until the lab names its run
 * directory, moves the log there (runs/<id>/log.txt; the lab keeps writing to the moved file),
 * prints the run directory and how to follow it, and returns.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../lib/errors.ts";

export interface DetachOptions {
  /** the folder the run directory will be in (the log waits there until the run exists) */
  runsDir: string;
  /** the lab serves its dashboard: wait for its URL too */
  dashboard: boolean;
  /** how long to wait for the lab to create its run, in ms */
  timeoutMs?: number;
}

export interface Detached {
  pid: number;
  runDir: string;
  log: string;
  dashboardUrl?: string;
}

/** The command that runs this program: the compiled executable itself, or `deno run cli.ts`. */
export function selfCommand(): string[] {
  if (Deno.build.standalone) return [Deno.execPath()];
  const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
  return [Deno.execPath(), "run", "-A", "--config", root("deno.json"), root("cli.ts")];
}

export async function detachLab(labId: string, argv: readonly string[], options: DetachOptions): Promise<Detached> {
  if (Deno.build.os === "windows") {
    throw new UsageError("--detach needs a POSIX shell; on Windows run the lab in its own console instead.");
  }
  await Deno.mkdir(options.runsDir, { recursive: true });
  const pending = join(options.runsDir, `.detached-${Date.now()}-${crypto.randomUUID().slice(0, 8)}.log`);
  await Deno.writeTextFile(pending, "");
  const log = await Deno.open(pending, { read: true });
  // sh only redirects, then execs the lab: the lab's pid is the child's pid.
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", 'exec "$@" >>"$0" 2>&1 </dev/null', pending, ...selfCommand(), "lab", labId, ...withoutDetach(argv)],
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  let exited: Deno.CommandStatus | null = null;
  child.status.then((status) => (exited = status));
  try {
    const output = new LogReader(log);
    const runLine = await output.waitFor(/^run: (.+)$/m, () => exited !== null, options.timeoutMs ?? 120_000);
    if (!runLine) {
      const status = exited as Deno.CommandStatus | null;
      if (status) {
        await Deno.remove(pending).catch(() => {});
        console.error(output.text.trimEnd());
        throw new UsageError(`the detached lab exited with status ${status.code} before it created its run.`);
      }
      child.unref();
      throw new UsageError(`the detached lab (pid ${child.pid}) has not created its run yet; its log: ${pending}`);
    }
    const runDir = runLine[1].trim();
    const logPath = await freeName(runDir);
    await Deno.rename(pending, logPath);
    // The lab prints `dashboard: URL`, or `dashboard: not started (why)`.
    const dashboardLine = options.dashboard
      ? await output.waitFor(/^dashboard: (\S+)/m, () => exited !== null, 15_000)
      : null;
    child.unref();
    const url = dashboardLine?.[1].startsWith("http") ? dashboardLine[1] : undefined;
    return { pid: child.pid, runDir, log: logPath, dashboardUrl: url };
  } finally {
    log.close();
  }
}

/** What to tell the user once the lab runs on its own: the run directory alone on stdout. */
export function printDetached(detached: Detached, runsDir: string): void {
  const dashboard = Deno.build.standalone ? `${Deno.execPath()} dashboard` : "deno task dashboard";
  console.log(detached.runDir);
  console.error(
    [
      `detached: pid ${detached.pid}; it keeps running after this terminal closes (stop it with kill ${detached.pid})`,
      `log: tail -f ${detached.log}`,
      detached.dashboardUrl ? `dashboard: ${detached.dashboardUrl}  (served by the run until it ends)` : "",
      `dashboard of every run: ${dashboard} --runs-dir ${runsDir}`,
    ].filter(Boolean).join("\n"),
  );
}

function withoutDetach(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg !== "--detach");
}

/** log.txt, or log-2.txt ... when a resumed run already has one. */
async function freeName(runDir: string): Promise<string> {
  for (let n = 1;; n++) {
    const path = join(runDir, n === 1 ? "log.txt" : `log-${n}.txt`);
    try {
      await Deno.lstat(path);
    } catch {
      return path;
    }
  }
}

/** Reads a growing log file through a handle that stays valid when the file is renamed. */
class LogReader {
  text = "";
  private readonly buffer = new Uint8Array(64 * 1024);
  private readonly decoder = new TextDecoder();

  constructor(private readonly file: Deno.FsFile) {}

  /** Polls until `pattern` matches a line, `stop()` says to give up, or `timeoutMs` passes. */
  async waitFor(pattern: RegExp, stop: () => boolean, timeoutMs: number): Promise<RegExpMatchArray | null> {
    const deadline = performance.now() + timeoutMs;
    while (true) {
      const stopping = stop(); // read once more after the lab exits: its last lines may be unread
      for (let n = await this.file.read(this.buffer); n; n = await this.file.read(this.buffer)) {
        this.text += this.decoder.decode(this.buffer.subarray(0, n), { stream: true });
      }
      const match = this.text.match(pattern);
      if (match || stopping || performance.now() > deadline) return match;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export const runsDirOf = (resume: string, runsDir: string): string => resume ? dirname(resume) : runsDir;
