/** GET /static/islands.js and /static/dashboard.css: the islands bundle and styles (web/bundle.ts). */
import { Hono } from "hono";
import { islandsBundle } from "../bundle.ts";

export function assetRoutes(): Hono {
  return new Hono()
    .get("/static/islands.js", async (c) => {
      const { js } = await islandsBundle();
      return c.body(js, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" });
    })
    .get("/static/dashboard.css", async (c) => {
      const { css } = await islandsBundle();
      return c.body(css, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" });
    });
}
