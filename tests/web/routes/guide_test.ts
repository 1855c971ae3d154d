/**
 * The guide panel and the source view, in-process, on a project folder made for the test: the
 * guide is typeset (KaTeX HTML, no TeX left raw), its code links point at the resolved lines, a
 * link that no longer resolves is shown as broken, key links carry their latest value; the source
 * view marks the lines and refuses everything outside the source folders.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../../../web/app.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";
import { withTempDir } from "../../helpers.ts";

const GUIDE = `# A test lab

## The model

$$
\\mathcal{L}(\\theta) = \\tfrac{1}{2} \\lVert y - f_\\theta(x) \\rVert^2
$$

Computed by [halfSquare](code:lib/loss.ts#halfSquare) (not [gone](code:lib/loss.ts#renamed)); logged as
[train/loss](key:train/loss) and [eval/loss](key:eval/loss).
`;

const LOSS_TS = `/** A loss. */
export function halfSquare(x: number): number {
  return 0.5 * x * x;
}
`;

async function withProject<T>(body: (root: string, runsDir: string) => Promise<T>): Promise<T> {
  return await withTempDir(async (root) => {
    await Deno.mkdir(join(root, "labs"));
    await Deno.mkdir(join(root, "lib"));
    await Deno.writeTextFile(join(root, "labs", "vae_mnist.md"), GUIDE);
    await Deno.writeTextFile(join(root, "lib", "loss.ts"), LOSS_TS);
    await Deno.writeTextFile(join(root, "secret.ts"), "export const password = 1;\n");
    await Deno.symlink(join(root, "secret.ts"), join(root, "lib", "link.ts"));
    return await withRunsDir((runsDir) => body(root, runsDir));
  });
}

Deno.test("guide panel - the lab's guide beside the charts: typeset, code links to their lines, live key values", async () => {
  await withProject(async (projectRoot, runsDir) => {
    const run = await FakeRun.create(runsDir, "run-1");
    await run.losses(10);
    const html = await (await createApp({ runsDir, projectRoot }).request("/runs/run-1")).text();
    const guide = html.slice(html.indexOf('data-testid="guide"'));
    assert.match(html, /<link rel="stylesheet" href="\/static\/katex\/katex.min.css"/);
    assert.match(guide, /class="katex-display"/);
    assert.doesNotMatch(guide, /\$\$/, "no TeX left raw");
    assert.match(guide, /<a href="\/source\/lib\/loss.ts\?lines=2-4#L2" class="code-link"[^>]*>halfSquare<\/a>/);
    assert.match(guide, /<a class="code-link broken" title="lib\/loss.ts#renamed no longer resolves">gone<\/a>/);
    assert.match(
      guide,
      /data-key="train\/loss">train\/loss<\/a><span class="key-value" data-key-value="train\/loss">10<\/span>/,
    );
    assert.match(guide, /data-key-value="eval\/loss"><\/span>/, "a key with no points yet has no value");
    assert.match(html, /data-island="GuideLive"/);
  });
});

Deno.test("guide panel - a lab without a guide has none, and the page is as before", async () => {
  await withProject(async (projectRoot, runsDir) => {
    await FakeRun.create(runsDir, "run-2", { lab: "dqn-cartpole" });
    const html = await (await createApp({ runsDir, projectRoot }).request("/runs/run-2")).text();
    assert.doesNotMatch(html, /data-testid="guide"|katex.min.css/);
    assert.match(html, /class="run-grid"/);
  });
});

Deno.test("source view - marks the linked lines; traversal, symlinks and files outside the source folders are 404", async () => {
  await withProject(async (projectRoot, runsDir) => {
    const app = createApp({ runsDir, projectRoot });
    const response = await app.request("/source/lib/loss.ts?lines=2-4");
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.deepEqual([...html.matchAll(/<tr id="L(\d+)" class="marked">/g)].map((m) => Number(m[1])), [2, 3, 4]);
    assert.match(html, /<span class="hljs-keyword">export<\/span>/);
    for (
      const path of [
        "/source/secret.ts",
        "/source/lib/link.ts",
        "/source/lib/%2E%2E/secret.ts",
        "/source/lib%2F..%2Fsecret.ts",
        "/source/lib/../secret.ts",
        "/source//etc/passwd",
        "/source/lib/missing.ts",
        "/source/lib/%ZZ.ts",
        "/source/labs/vae_mnist.md%00.ts",
      ]
    ) {
      const refused = await app.request(path);
      assert.equal(refused.status, 404, path);
      assert.doesNotMatch(await refused.text(), /password/, path);
    }
  });
});

Deno.test("katex assets - the stylesheet and its fonts are served locally, nothing else of the package", async () => {
  const app = createApp({ runsDir: "/nonexistent" });
  const css = await app.request("/static/katex/katex.min.css");
  assert.equal(css.status, 200);
  const fonts = [...(await css.text()).matchAll(/url\((fonts\/KaTeX_[^)]+\.woff2)\)/g)].map((m) => m[1]);
  assert.ok(fonts.length > 10, `${fonts.length} fonts`);
  const font = await app.request(`/static/katex/${fonts[0]}`);
  assert.equal(font.status, 200);
  assert.equal(font.headers.get("content-type"), "font/woff2");
  await font.body?.cancel();
  for (const path of ["/static/katex/package.json", "/static/katex/../katex.js", "/static/katex/fonts/../katex.js"]) {
    const refused = await app.request(path);
    assert.equal(refused.status, 404, path);
    await refused.body?.cancel();
  }
});
