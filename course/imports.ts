/**
 * The static imports of a module, read from its source text: which module, and which of its
 * exports ("*" when the whole module is taken: a namespace, a default or a side-effect import).
 * Type-only imports are left out: they bring no code along. Enough to follow a lab to the
 * exercises it runs, and a test to the code it tests, without a type checker.
 */
export interface StaticImport {
  specifier: string;
  names: string[] | "*";
}

const FROM = new RegExp(
  String.raw`^(?:import|export)\s+(type\s+)?` +
    String.raw`(\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+[\w$]+))?)` +
    String.raw`\s*from\s*["']([^"']+)["']`,
  "gm",
);
const SIDE_EFFECT = /^import\s*["']([^"']+)["']/gm;

export function staticImports(text: string): StaticImport[] {
  const imports: StaticImport[] = [];
  for (const [, typeOnly, clause, specifier] of text.matchAll(FROM)) {
    if (typeOnly) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    if (!braces) {
      imports.push({ specifier, names: "*" });
      continue;
    }
    const names = braces[1].split(",").map((item) => item.trim()).filter((item) => item && !item.startsWith("type "))
      .map((item) => item.split(/\s+as\s+/)[0]);
    if (names.length) imports.push({ specifier, names });
  }
  for (const [, specifier] of text.matchAll(SIDE_EFFECT)) imports.push({ specifier, names: "*" });
  return imports;
}

/** The project file a relative specifier points at, or undefined for a package or a URL. */
export function resolveRelative(specifier: string, fromFile: string): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const parts = fromFile.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}
