/**
 * GET /static/islands.js and /static/dashboard.css: the islands bundle and styles (web/bundle.ts);
 * /static/katex/...: KaTeX's stylesheet and fonts for the guides' typeset math, served from the
 * pinned npm package itself, so no page loads anything from a CDN.
 */
import { Hono } from "hono";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { islandsBundle } from "../bundle.ts";

const KATEX_FILE = /^(katex\.min\.css|fonts\/KaTeX_[A-Za-z0-9_-]+\.(woff2|woff|ttf))$/;
const KATEX_TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  woff2: "font/woff2",
  woff: "font/woff",
  ttf: "font/ttf",
};
let katexDir: string | undefined;

export function assetRoutes(): Hono {
  return new Hono()
    .get("/static/islands.js", async (c) => {
      const { js } = await islandsBundle();
      return c.body(js, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" });
    })
    .get("/static/dashboard.css", async (c) => {
      const { css } = await islandsBundle();
      return c.body(css, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" });
    })
    .get("/static/katex/*", async (c) => {
      const file = new URL(c.req.url).pathname.slice("/static/katex/".length);
      if (!KATEX_FILE.test(file)) return c.text("No such file.", 404);
      katexDir ??= dirname(createRequire(import.meta.url).resolve("katex/dist/katex.min.css"));
      const bytes = await Deno.readFile(join(katexDir, file)).catch(() => null);
      if (!bytes) return c.text("No such file.", 404);
      return c.body(bytes, 200, {
        "content-type": KATEX_TYPES[file.split(".").pop()!],
        "cache-control": "public, max-age=86400",
      });
    });
}
