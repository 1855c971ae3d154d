/**
 * Syntax colouring for the source view (highlight.js, on the server), split into one HTML string
 * per source line: a token that spans lines (a block comment, a template string) is closed at the
 * end of each line and reopened on the next, so every line stands alone in its table row.
 */
import hljs from "highlight.js/lib/core";
import markdown from "highlight.js/lib/languages/markdown";
import typescript from "highlight.js/lib/languages/typescript";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("markdown", markdown);

export function highlightLines(source: string, path: string): string[] {
  const language = path.endsWith(".md") ? "markdown" : "typescript";
  const html = hljs.highlight(source, { language, ignoreIllegals: true }).value;
  const open: string[] = []; // the <span ...> tags open at the start of the current line
  return html.split("\n").map((line) => {
    const start = open.join("");
    for (const [tag] of line.matchAll(/<span[^>]*>|<\/span>/g)) {
      if (tag === "</span>") open.pop();
      else open.push(tag);
    }
    return start + line + "</span>".repeat(open.length);
  });
}
