/**
 * Whether a recorded process id is still one of ours: a live process whose command line names
 * the command ("lab", "sweep"), so that a recycled pid of an unrelated program does not count.
 * Linux reads /proc; other POSIX systems can only ask whether the pid is alive (signal 0).
 */
export async function isLiveCommand(pid: number, command: string): Promise<boolean> {
  if (pid === Deno.pid) return false;
  if (Deno.build.os === "linux") {
    const cmdline = await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => "");
    return cmdline.split("\0").includes(command);
  }
  if (Deno.build.os === "windows") return false;
  const probe = await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" }).output().catch(() =>
    null
  );
  return probe?.success ?? false;
}
