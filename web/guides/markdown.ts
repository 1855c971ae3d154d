/**
 * The Markdown of the lab guides: CommonMark (markdown-it) with TeX typeset on the server by KaTeX
 * (`$...$` inline, `$$ ... $$` display), raw HTML off. Links keep their targets; render_guide.ts
 * turns `code:` and `key:` links into the dashboard's.
 */
// @ts-types="@types/markdown-it"
import MarkdownIt from "markdown-it";
import markdownItKatex from "@vscode/markdown-it-katex";
import katex from "katex";

export type Token = ReturnType<MarkdownIt["parse"]>[number];

// The package is CommonJS with its function on `default`; its types see another copy of markdown-it's.
type KatexPlugin = (md: MarkdownIt, options: { throwOnError: boolean }) => void;
const plugin = ((markdownItKatex as unknown as { default?: KatexPlugin }).default ??
  markdownItKatex) as unknown as KatexPlugin;

/** A parser and renderer; a TeX error renders as a marked error block in the page (the tests catch it first). */
export function guideMarkdown(): MarkdownIt {
  return new MarkdownIt({ html: false, linkify: false, typographer: false }).use(plugin, { throwOnError: false });
}

/** Renders one TeX formula as the guide would, throwing on any error (for the tests). */
export function renderTex(tex: string, { displayMode }: { displayMode: boolean }): string {
  return katex.renderToString(tex, { displayMode, throwOnError: true });
}
