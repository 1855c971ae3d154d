/**
 * Two-way interleaving of a WebAssembly text function, for assemble_wat.ts's `;; @interleave $f`:
 * from `(func $f (param $x v128) (result v128) (local ...) statement... result)` it writes
 * `$f_x2`, which takes two vectors and returns both results, every statement made twice (locals
 * renamed `_a` and `_b`) and the two copies alternating. The math functions (exp.wat) are long
 * chains of dependent SIMD operations; V8's code for one vector at a time waits on each step, and
 * two independent chains side by side run in about half the time per vector (e^x: 4.2 -> 2.2 ns a
 * value on this machine). Each lane's arithmetic is unchanged, so the results are the same bits.
 *
 * The function must be straight-line code over its own locals (no calls, branches or globals).
 */

/** The balanced parenthesised expression that starts at `from` in `text`. */
function expressionAt(text: string, from: number): string {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === ";" && text[i + 1] === ";") i = text.indexOf("\n", i); // a comment
    else if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error(`interleave: unbalanced parentheses from offset ${from}`);
}

/** The top-level expressions inside `(func ...)`, comments dropped. */
function children(func: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < func.length - 1; i++) {
    if (func[i] === ";" && func[i + 1] === ";") i = func.indexOf("\n", i);
    else if (func[i] === "(") {
      const child = expressionAt(func, i);
      out.push(child);
      i += child.length - 1;
    }
  }
  return out;
}

/** `$name_x2` from `$name` in `text` (see above). */
export function interleaved(text: string, name: string): string {
  const start = text.indexOf(`(func ${name} `);
  if (start < 0) throw new Error(`interleave: no function ${name}`);
  const parts = children(expressionAt(text, start));
  const declarations = parts.filter((p) => /^\((param|local) /.test(p));
  const result = parts.find((p) => p.startsWith("(result "));
  const body = parts.filter((p) => !declarations.includes(p) && p !== result);
  if (result !== "(result v128)" || body.some((p) => /\((call|br|if|loop|block|global)\b/.test(p))) {
    throw new Error(`interleave: ${name} must return one v128 from straight-line code over its locals`);
  }
  const names = declarations.map((d) => d.match(/^\((?:param|local) (\$\w+)/)![1]);
  const copy = (expression: string, suffix: string) =>
    expression.replace(/\$\w+/g, (token) => (names.includes(token) ? `${token}_${suffix}` : token));
  const both = (expression: string) => [copy(expression, "a"), copy(expression, "b")];
  return [
    `(func ${name}_x2`,
    ...declarations.filter((d) => d.startsWith("(param")).flatMap(both),
    "(result v128 v128)",
    ...declarations.filter((d) => d.startsWith("(local")).flatMap(both),
    ...body.flatMap(both),
    ")",
  ].join("\n");
}
