import assert from "node:assert/strict";
import { findSymbol } from "../../../web/guides/code_refs.ts";

// A class as deno fmt writes one, with what once ended a declaration early or lost it: an
// apostrophe in a doc comment (read as a string that swallowed a bracket), a bracket only in a
// comment, and `//` inside a template literal (read as a line comment that swallowed `);`).
const SOURCE = `export class Table {
  /** max_a' Q(s', a') is the bootstrap. */
  get(state: number): number {
    return state;
  }

  /**
   * Moves Q(s, a) towards r + gamma max_a' Q(s', a') (a bracket left open here: [
   */
  update(t: { state: number }): number {
    const line = \`// #region \${t.state}\`;
    return line.length;
  }
}

export const after = 1;
`;

Deno.test("code refs - a declaration closes at its own brace, whatever its comments and template literals hold", () => {
  assert.deepEqual(findSymbol(SOURCE, "Table"), { start: 1, end: 14 });
  assert.deepEqual(findSymbol(SOURCE, "Table.get"), { start: 3, end: 5 });
  assert.deepEqual(findSymbol(SOURCE, "Table.update"), { start: 10, end: 13 });
  assert.deepEqual(findSymbol(SOURCE, "after"), { start: 16, end: 16 });
  assert.equal(findSymbol(SOURCE, "Table.missing"), null);
});
