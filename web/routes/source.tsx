/**
 * GET /source/<path>?lines=a-b: a file of the project's own source (labs/, lib/, trainers/, ...),
 * with line numbers, syntax colouring, and lines a..b marked: where a guide's code links lead.
 * Only regular files inside the source folders are shown (web/guides/code_refs.ts); traversal,
 * symlinks, other folders and other file types get a 404, as does anything that fails to decode.
 */
import { Hono } from "hono";
import { sourceFile } from "../guides/code_refs.ts";
import { highlightLines } from "../guides/highlight.ts";
import { Layout } from "../components/layout.tsx";
import { decodeSegments } from "../security/safe_path.ts";
import type { Deps } from "./deps.ts";
import { notFoundPage } from "./not_found.tsx";
import { renderPage } from "./render.ts";

export function sourceRoutes({ projectRoot: root }: Deps): Hono {
  return new Hono().get("/source/*", async (c) => {
    const raw = new URL(c.req.url).pathname.slice("/source/".length);
    const segments = decodeSegments(raw);
    const relative = segments?.join("/") ?? "";
    const path = segments && !segments.some((s) => s.includes("/")) ? await sourceFile(root, relative) : null;
    if (!path) return c.html(notFoundPage("Only files of the project's source folders are shown here."), 404);
    const [first, last] = (c.req.query("lines") ?? "").split("-").map(Number);
    const marked = (n: number) => Number.isInteger(first) && n >= first && n <= (Number.isInteger(last) ? last : first);
    const lines = highlightLines(await Deno.readTextFile(path), relative);
    return c.html(renderPage(
      <Layout title={relative} wide>
        <h1 class="mono source-title">{relative}</h1>
        <table class="source" data-testid="source">
          <tbody>
            {lines.map((html, i) => (
              <tr id={`L${i + 1}`} key={i} class={marked(i + 1) ? "marked" : undefined}>
                <td class="line-number">
                  <a href={`#L${i + 1}`}>{i + 1}</a>
                </td>
                <td class="line">
                  <code dangerouslySetInnerHTML={{ __html: html || " " }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    ));
  });
}
