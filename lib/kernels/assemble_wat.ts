/**
 * Assembles the project's hand-written WebAssembly (lib/kernels/*.wat) into TypeScript modules
 * that hold the bytes, so that running a lab needs no assembler: `deno task wasm` after editing a
 * .wat file. tests/lib/kernels/assemble_wat_test.ts checks that the committed modules hold what
 * their sources assemble to. A line `;; @include NAME.wat` in a source is replaced by that file
 * (functions that several modules use, such as exp.wat's e^x), and a line `;; @interleave $f` by
 * `$f_x2`, $f over two vectors at once (interleave_wat.ts).
 */
import initWabt from "wabt";
import { interleaved } from "./interleave_wat.ts";

/** The .wat sources and the modules generated from them. */
export const WAT_MODULES = [
  { source: "adam.wat", module: "wasm_adam_module.ts", exportName: "ADAM_WASM" },
  { source: "bce_with_logits.wat", module: "wasm_bce_with_logits_module.ts", exportName: "BCE_WITH_LOGITS_WASM" },
  { source: "dense.wat", module: "wasm_dense_module.ts", exportName: "DENSE_WASM" },
  { source: "im2col.wat", module: "wasm_im2col_module.ts", exportName: "IM2COL_WASM" },
  { source: "max_pool_grad.wat", module: "wasm_max_pool_grad_module.ts", exportName: "MAX_POOL_GRAD_WASM" },
  { source: "norm_activation.wat", module: "wasm_norm_activation_module.ts", exportName: "NORM_ACTIVATION_WASM" },
  { source: "strided_copy.wat", module: "wasm_strided_copy_module.ts", exportName: "STRIDED_COPY_WASM" },
  { source: "unary.wat", module: "wasm_unary_module.ts", exportName: "UNARY_WASM" },
];

const INCLUDE = /^\s*;; @include (\S+\.wat)\s*$/gm;
const INTERLEAVE = /^\s*;; @interleave (\$\w+)\s*$/gm;

/**
 * The text of `source` in `dir` with its includes spliced in (one level: included files include
 * nothing), then its interleaved functions written.
 */
export async function watText(dir: URL, source: string): Promise<string> {
  const text = await Deno.readTextFile(new URL(source, dir));
  const included = new Map<string, string>();
  for (const [, name] of text.matchAll(INCLUDE)) included.set(name, await Deno.readTextFile(new URL(name, dir)));
  const spliced = text.replace(INCLUDE, (_, name: string) => included.get(name)!);
  return spliced.replace(INTERLEAVE, (_, name: string) => interleaved(spliced, name));
}

export async function assembleWat(name: string, text: string): Promise<Uint8Array> {
  const wabt = await initWabt();
  const parsed = wabt.parseWat(name, text, { simd: true });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

/** The generated module's text: the bytes as base64, decoded once at import. */
export function moduleText(source: string, exportName: string, bytes: Uint8Array): string {
  const base64 = btoa(String.fromCharCode(...bytes));
  return `// Generated from ${source} by \`deno task wasm\` (lib/kernels/assemble_wat.ts). Do not edit.\n` +
    `export const ${exportName} = Uint8Array.from(atob("${base64}"), (c) => c.charCodeAt(0));\n`;
}

if (import.meta.main) {
  const here = new URL(".", import.meta.url);
  for (const { source, module, exportName } of WAT_MODULES) {
    const bytes = await assembleWat(source, await watText(here, source));
    const path = new URL(module, here);
    await Deno.writeTextFile(path, moduleText(source, exportName, bytes));
    await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", path.pathname] }).output();
    console.log(`${source} -> ${module} (${bytes.length} bytes)`);
  }
}
