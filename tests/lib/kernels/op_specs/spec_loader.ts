/**
 * Loads tfjs-core's shipped op specs (`dist/ops/*_test.js` and the like, ES modules) so that they
 * run against the project's tfjs instance. As shipped they import `../index`, the ES build, which
 * would be a second tfjs with none of the project's kernels, and `../jasmine_util`, which requires
 * jasmine through `require`. Their relative imports are rewritten here:
 *
 * - tfjs's modules (`index`, `ops/*`, `tensor`, `util`, `test_util`, `jasmine_util`) to this
 *   folder's stand-ins, which re-export the project's instance (lib/tf.ts);
 * - spec helpers (`*_test`) and the chained ops (`public/chained_ops/*`, the `x.matMul(y)`
 *   methods, which tfjs's CommonJS build leaves unregistered) are rewritten the same way.
 *
 * Any other import is refused (so is a whole internal module other than index and util, `import * as axis_util`), so a spec
 * never reaches a second copy of tfjs's internals unnoticed: such a spec file cannot be loaded.
 */
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { tf } from "../../../../lib/tf.ts";

const require = createRequire(import.meta.url);
/** tfjs-core's dist folder, where the specs are. */
export const TFJS_DIST = join(dirname(require.resolve("@tensorflow/tfjs-core/package.json")), "dist");

/**
 * The stand-in for a tfjs module (its path under dist, without `.js`) as a URL, or null to rewrite
 * it too. An op in a namespace folder (`ops/image/resize_bilinear`) comes from that namespace.
 */
function standIn(target: string, index: string): string | null {
  const namespace = target.match(/^ops\/(\w+)\/\w+$/)?.[1];
  if (namespace && !target.endsWith("_test")) return namespaceStandIn(namespace);
  if (target === "" || target === "index" || (target.startsWith("ops/") && !target.endsWith("_test"))) return index;
  if (target === "util") return namespaceStandIn("util");
  const own: Record<string, string> = {
    jasmine_util: "tfjs_jasmine_util.ts",
    test_util: "tfjs_test_util.ts",
    tensor: "tfjs_tensor.ts",
  };
  if (own[target]) return import.meta.resolve(`./${own[target]}`);
  if (target.endsWith("_test") || target.startsWith("public/chained_ops/")) return null;
  throw new Error(`no stand-in for tfjs's module ${target}`);
}

export const DEFAULT_INDEX = import.meta.resolve("./tfjs_index.ts");

/** A module that exports the members of `tf[namespace]` (tf.image, tf.linalg, ...) by name. */
function namespaceStandIn(namespace: string): string {
  const members = Object.keys((tf as unknown as Record<string, object>)[namespace] ?? {});
  if (members.length === 0) throw new Error(`no stand-in for tfjs's namespace ${namespace}`);
  const source = [
    `import { tf } from ${JSON.stringify(import.meta.resolve("../../../../lib/tf.ts"))};`,
    `export const { ${members.join(", ")} } = tf.${namespace};`,
  ].join("\n");
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
let outDir: string | undefined;
const written = new Map<string, Promise<string>>();

/**
 * The file URL of `module` (a path under tfjs-core's dist, as `ops/mat_mul_test.js`) rewritten;
 * `index` is the URL of the stand-in for `../index` (the Adam specs get the project's optimiser).
 */
export function rewrittenModule(module: string, { index = DEFAULT_INDEX } = {}): Promise<string> {
  const key = `${module}|${index}`;
  if (!written.has(key)) written.set(key, rewrite(module, index));
  return written.get(key)!;
}

async function rewrite(module: string, index: string): Promise<string> {
  outDir ??= await Deno.makeTempDir({ prefix: "tflab-tfjs-specs-" });
  const source = await Deno.readTextFile(join(TFJS_DIST, module));
  const nested: Promise<string>[] = [];
  // `from './x'` and side-effect imports `import './x'`, as tsc writes them: one quote style.
  const rewritten = source.replace(/(import \* as \w+ from |from |import )'(\.[^']*)'/g, (_, keyword, specifier) => {
    const target = relative(TFJS_DIST, join(TFJS_DIST, dirname(module), specifier));
    if (keyword.startsWith("import *") && !["", "index", "util"].includes(target)) {
      throw new Error(`${module} imports tfjs's module ${target} whole: only index and util have stand-ins`);
    }
    const file = standIn(target, index);
    if (file) return `${keyword}${JSON.stringify(file)}`;
    nested.push(rewrittenModule(`${target}.js`, { index }));
    return `${keyword}'__nested_${nested.length - 1}__'`;
  });
  const urls = await Promise.all(nested);
  const out = join(outDir, `${module.replaceAll("/", "_")}_${index.split("/").at(-1)!.replace(/\W/g, "_")}.js`);
  await Deno.writeTextFile(out, rewritten.replace(/__nested_(\d+)__/g, (_, i) => urls[Number(i)]));
  return pathToFileURL(out).href;
}
