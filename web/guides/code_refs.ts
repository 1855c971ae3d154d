/**
 * What a guide's code links point at: `code:lib/losses.ts#gaussianKlSum` names a file of the
 * project's source folders and, after `#`, a top-level declaration (function, const, class,
 * interface, type), a method (`RlRun.evaluate`), or a region marked in the file with
 * `// #region name` ... `// #endregion`. Resolved to line ranges from the source text alone (the
 * code is formatted by deno fmt, so a declaration closes at its own indentation), so renaming a
 * function breaks the link, and a test sees it.
 */
import { join, normalize, resolve } from "node:path";

/** The folders of the project's own source that guides may link and the source view may show. */
export const SOURCE_FOLDERS = ["labs", "lib", "trainers", "environments", "runner", "tests", "web", "course", "bench"];
const SOURCE_EXTENSIONS = /\.(ts|tsx|md)$/;

export interface CodeRef {
  path: string;
  symbol?: string;
}

export interface LineRange {
  start: number; // 1-based, inclusive
  end: number;
}

/** `code:lib/losses.ts#gaussianKlSum` -> { path, symbol }; null for any other link. */
export function parseCodeRef(href: string): CodeRef | null {
  if (!href.startsWith("code:")) return null;
  const [path, symbol] = href.slice("code:".length).split("#", 2);
  return symbol ? { path, symbol } : { path };
}

/**
 * The absolute path of `relative` if it names a source file the project shows: inside one of
 * SOURCE_FOLDERS, no `..`, not a symlink (nor under one), with a source extension; else null.
 */
export async function sourceFile(root: string, relative: string): Promise<string | null> {
  const clean = normalize(relative);
  if (clean !== relative || clean.startsWith("/") || clean.split("/").includes("..")) return null;
  if (!SOURCE_FOLDERS.includes(clean.split("/")[0]) || !SOURCE_EXTENSIONS.test(clean)) return null;
  try {
    const path = join(await Deno.realPath(resolve(root)), clean); // the root itself may lie under a symlink
    const [real, stat] = await Promise.all([Deno.realPath(path), Deno.lstat(path)]);
    return stat.isFile && real === path ? path : null; // a symlink below the root changes the real path
  } catch {
    return null;
  }
}

/** Where a guide's `code:` link points: its file and, when it names a symbol, that symbol's lines; null when it does not resolve. */
export async function resolveCodeLink(
  root: string,
  href: string,
): Promise<CodeRef & { lines: LineRange | null } | null> {
  const ref = parseCodeRef(href);
  const file = ref && await sourceFile(root, ref.path);
  if (!file) return null;
  if (!ref!.symbol) return { ...ref!, lines: null };
  const lines = findSymbol(await Deno.readTextFile(file), ref!.symbol);
  return lines && { ...ref!, lines };
}

/** The lines of `symbol` in `source`, or null when the file has no such declaration or region. */
export function findSymbol(source: string, symbol: string): LineRange | null {
  const lines = source.split("\n");
  const region = lines.findIndex((line) => line.trim() === `// #region ${symbol}`);
  if (region >= 0) {
    const end = lines.findIndex((line, i) => i > region && line.trim().startsWith("// #endregion"));
    return end < 0 ? null : { start: region + 1, end: end + 1 };
  }
  const [owner, member] = symbol.split(".", 2);
  const outer = declaration(lines, owner, 0, { from: 0, to: lines.length });
  if (!outer || !member) return outer;
  return declaration(lines, member, 2, { from: outer.start, to: outer.end });
}

const ESCAPE = (name: string) => name.replace(/[$]/g, "\\$");

/** A declaration of `name` at `indent` spaces between lines `from` and `to` (0-based), and where it closes. */
function declaration(
  lines: string[],
  name: string,
  indent: number,
  { from, to }: { from: number; to: number },
): LineRange | null {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return null;
  const pad = " ".repeat(indent);
  const pattern = indent === 0
    ? new RegExp(
      `^(export\\s+)?(default\\s+)?(declare\\s+)?(async\\s+)?(function\\*?|const|let|class|interface|type|enum)\\s+${
        ESCAPE(name)
      }\\b`,
    )
    : new RegExp(
      `^${pad}((static|private|protected|public|readonly|override|async|get|set)\\s+)*${ESCAPE(name)}\\s*[(<:=]`,
    );
  const start = lines.findIndex((line, i) => i >= from && i < to && pattern.test(line));
  if (start < 0) return null;
  // It closes where its brackets balance on a line that ends the statement with `}` or `;`, counted
  // outside strings, template literals on one line and comments (a doc comment's `Q(s', a')` is neither).
  let depth = 0;
  let inComment = false;
  for (let j = start; j < to; j++) {
    let line = lines[j];
    if (inComment) {
      const end = line.indexOf("*/");
      inComment = end < 0;
      line = inComment ? "" : line.slice(end + 2);
    }
    let code = line.replace(/"(\\.|[^"\\])*"|'(\\.|[^'\\])*'|`(\\.|[^`\\])*`|\/\*.*?\*\/|\/\/.*$/g, "");
    if (code.includes("/*")) [code, inComment] = [code.slice(0, code.indexOf("/*")), true];
    for (const c of code) depth += "{([".includes(c) ? 1 : "})]".includes(c) ? -1 : 0;
    const continues = /^\s*([|&.?:]|=>)/.test(lines[j + 1] ?? ""); // a union's next member, a chained call
    if (depth <= 0 && /[};]\s*$/.test(code) && !continues) return { start: start + 1, end: j + 1 };
  }
  return null;
}
