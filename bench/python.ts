/**
 * The Python that runs the bench's references: the first of these that can import a module. A
 * virtualenv's or pyenv's python3 often lacks torch while Debian's python3-torch lives under
 * /usr/bin/python3.
 */
export const PYTHONS = ["python3", "/usr/bin/python3"];

export async function pythonWith(module: string): Promise<string | undefined> {
  for (const python of PYTHONS) {
    const probe = await new Deno.Command(python, { args: ["-c", `import ${module}`], stdout: "null", stderr: "null" })
      .output().catch(() => ({ success: false }));
    if (probe.success) return python;
  }
}
