/**
 * One trial as a child process: `deno run -A cli.ts lab <id> ...` (or the compiled executable's
 * `lab`), its output appended to the trial's log file, the run directory caught from the lab's
 * `run: <dir>` line as soon as it is printed. The child runs in a session of its own, so a Ctrl-C
 * in the terminal reaches the sweep alone, which then stops each child with exactly one signal
 * (a lab's first signal checkpoints and stops; a second would stop it at once).
 */
import { selfCommand } from "../runner/detach.ts";

export interface TrialProcess {
  pid: number;
  /** the run directory, once the lab has named it; null if it exits before */
  runDir: Promise<string | null>;
  /** the exit code, and the lab's error line when it failed */
  exited: Promise<{ code: number; error: string }>;
  signal(signal: Deno.Signal): void;
}

const RUN_LINE = /^run: (.+)$/;

export async function startTrialProcess(
  labArgs: string[],
  logPath: string,
  { env = {} }: { env?: Record<string, string> } = {},
): Promise<TrialProcess> {
  const [command, ...prefix] = selfCommand();
  const args = [...prefix, "lab", ...labArgs];
  const log = await Deno.open(logPath, { append: true, create: true });
  await log.write(new TextEncoder().encode(`\n$ ${[command, ...args].join(" ")}\n`));
  const child = new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
    env: { NO_COLOR: "1", ...env },
  }).spawn();
  let nameRun: (dir: string | null) => void = () => {};
  const runDir = new Promise<string | null>((resolve) => (nameRun = resolve));
  const lastLines: string[] = [];
  const onLine = (line: string) => {
    const match = line.match(RUN_LINE);
    if (match) nameRun(match[1].trim());
    if (line.trim()) lastLines.push(line);
    if (lastLines.length > 40) lastLines.shift();
  };
  const copied = Promise.all([copyLines(child.stdout, log, () => {}), copyLines(child.stderr, log, onLine)]);
  const exited = (async () => {
    const status = await child.status;
    await copied;
    log.close();
    nameRun(null);
    return { code: status.code, error: status.success ? "" : errorLine(lastLines, status) };
  })();
  return { pid: child.pid, runDir, exited, signal: (signal) => child.kill(signal) };
}

/** Appends a stream to the log and hands each complete line to `onLine`. */
async function copyLines(
  stream: ReadableStream<Uint8Array>,
  log: Deno.FsFile,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    await log.write(chunk);
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split(/\r?\n|\r/); // progress bars redraw with \r
    pending = lines.pop()!;
    lines.forEach(onLine);
  }
  if (pending) onLine(pending);
}

/**
 * What the lab said when it failed: its `error: ...` line (a usage error) or the first line of the
 * error it printed with its stack (`Error: ...`), else its last line.
 */
function errorLine(lines: string[], status: Deno.CommandStatus): string {
  const how = status.signal ? `killed by ${status.signal}` : `exit ${status.code}`;
  const said = lines.findLast((l) => /^(error:|\w*Error\b)/.test(l)) ?? lines.at(-1) ?? "";
  return said ? `${how}: ${said.replace(/^error:\s*/, "")}` : how;
}
