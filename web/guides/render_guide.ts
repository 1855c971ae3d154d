/**
 * A lab's guide (labs/<lab_id>.md) as the run page shows it: Markdown and TeX typeset on the
 * server, `code:` links pointed at the source view's lines (a link that no longer resolves is
 * shown struck through, not hidden), and `key:` links that the page's GuideLive island turns into
 * "scroll to that chart" with the key's latest value beside them. Guides are read from the
 * project's source (not from the run directory: a guide explains the code, which it links);
 * rendered once per change of the file.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type LineRange, resolveCodeLink, sourceFile } from "./code_refs.ts";
import { guideMarkdown, type Token } from "./markdown.ts";
import { guideFile } from "../../runner/guide_file.ts";

/** The project's root: the folder that holds labs/ and the rest of the source. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface Guide {
  html: string;
  /** the event keys it links, for the live values */
  keys: string[];
}

const cache = new Map<string, { mtime: number; guide: Guide }>();

/** The lab's guide, or null when the lab has none (or its id is not a lab id). */
export async function loadGuide(labId: string, root = PROJECT_ROOT): Promise<Guide | null> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(labId)) return null;
  const path = await sourceFile(root, guideFile(labId));
  const stat = path ? await Deno.stat(path).catch(() => null) : null;
  if (!path || !stat?.mtime) return null;
  const cached = cache.get(path);
  if (cached?.mtime === stat.mtime.getTime()) return cached.guide;
  const guide = await renderGuide(await Deno.readTextFile(path), root);
  cache.set(path, { mtime: stat.mtime.getTime(), guide });
  return guide;
}

export async function renderGuide(markdown: string, root = PROJECT_ROOT): Promise<Guide> {
  const md = guideMarkdown();
  const tokens = md.parse(markdown, {});
  const links = tokens.flatMap((t: Token) => t.children ?? []).filter((t: Token) => t.type === "link_open");
  const targets = new Map<string, Awaited<ReturnType<typeof resolveCodeLink>>>();
  const keys = new Set<string>();
  for (const link of links) {
    const href = link.attrGet("href") ?? "";
    if (href.startsWith("key:")) keys.add(href.slice(4));
    if (href.startsWith("code:") && !targets.has(href)) targets.set(href, await resolveCodeLink(root, href));
  }
  // Each link_open is rewritten in place; its link_close stays `</a>` (a broken code link is an <a> without href).
  for (const link of links) {
    const href = link.attrGet("href") ?? "";
    if (href.startsWith("key:")) {
      const key = href.slice(4);
      link.attrs = [["href", `#chart-${encodeURIComponent(key)}`], ["class", "key-link"], ["data-key", key]];
    } else if (href.startsWith("code:")) {
      const target = targets.get(href);
      link.attrs = target
        ? [
          ["href", sourceHref(target.path, target.lines)],
          ["class", "code-link"],
          ["title", `${target.path}${target.symbol ? ` · ${target.symbol}` : ""}`],
        ]
        : [["class", "code-link broken"], ["title", `${href.slice(5)} no longer resolves`]];
    } else {
      link.attrs = [...(link.attrs ?? []), ["rel", "noopener"], ["target", "_blank"]];
    }
  }
  const html = md.renderer.render(tokens, md.options, {}).replace(
    /(<a href="#chart-[^"]*" class="key-link" data-key="([^"]*)">.*?<\/a>)/g,
    '$1<span class="key-value" data-key-value="$2"></span>',
  );
  return { html, keys: [...keys] };
}

/** The source view's address of a file, with the lines to mark. */
export const sourceHref = (path: string, range: LineRange | null) =>
  `/source/${path}${range ? `?lines=${range.start}-${range.end}#L${range.start}` : ""}`;
