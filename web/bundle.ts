/**
 * The browser bundle of the islands (web/client/main.ts and what it imports: Preact, signals,
 * uPlot), built by `deno bundle` when the server starts, in memory: a fresh clone serves
 * current islands with no build step. It takes a fraction of a second; pages render on the
 * server meanwhile, and a request for the bundle waits for it.
 *
 * A compiled executable has no `deno` to bundle with: `deno task compile` (compile.ts) writes
 * the bundle to dist/web/ with `buildBundle`, embeds it, and removes it again; when that prebuilt
 * bundle exists, it is served instead.
 */
import { createRequire } from "node:module";
import { fileURLToPath as fromFileUrl } from "node:url";

export interface Bundle {
  js: string;
  css: string;
}

const ENTRY = fromFileUrl(new URL("./client/main.ts", import.meta.url));
const CONFIG = fromFileUrl(new URL("../deno.json", import.meta.url));
const STYLE = new URL("./static/style.css", import.meta.url);
export const PREBUILT = {
  js: new URL("../dist/web/islands.js", import.meta.url),
  css: new URL("../dist/web/dashboard.css", import.meta.url),
};

let building: Promise<Bundle> | null = null;

/** Builds once per process; later calls share the result. */
export function islandsBundle(): Promise<Bundle> {
  building ??= readPrebuilt().then((prebuilt) => prebuilt ?? buildBundle()).catch((error) => {
    building = null; // a later request tries again
    throw error;
  });
  return building;
}

async function readPrebuilt(): Promise<Bundle | null> {
  try {
    return { js: await Deno.readTextFile(PREBUILT.js), css: await Deno.readTextFile(PREBUILT.css) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Bundles the islands now, with `deno bundle`, and gathers their styles. */
export async function buildBundle(): Promise<Bundle> {
  const outdir = await Deno.makeTempDir({ prefix: "tflab-bundle-" });
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--config",
        CONFIG,
        "--platform",
        "browser",
        "--minify",
        "-o",
        `${outdir}/main.js`,
        ENTRY,
      ],
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    if (code !== 0) throw new Error(`deno bundle failed: ${new TextDecoder().decode(stderr)}`);
    const [js, uplotCss, style] = await Promise.all([
      Deno.readTextFile(`${outdir}/main.js`),
      Deno.readTextFile(createRequire(import.meta.url).resolve("uplot/dist/uPlot.min.css")),
      fetchText(STYLE),
    ]);
    return { js, css: uplotCss + "\n" + style };
  } finally {
    await Deno.remove(outdir, { recursive: true });
  }
}

async function fetchText(url: URL): Promise<string> {
  return url.protocol === "file:" ? await Deno.readTextFile(url) : await (await fetch(url)).text();
}
