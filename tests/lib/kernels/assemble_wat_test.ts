import assert from "node:assert/strict";
import { assembleWat, WAT_MODULES, watText } from "../../../lib/kernels/assemble_wat.ts";

const KERNELS = new URL("../../../lib/kernels/", import.meta.url);

for (const { source, module, exportName } of WAT_MODULES) {
  Deno.test(`assemble_wat - ${module} is what ${source} assembles to (run \`deno task wasm\` after editing it)`, async () => {
    const bytes = await assembleWat(source, await watText(KERNELS, source));
    const committed = await import(new URL(module, KERNELS).href);
    assert.deepEqual(committed[exportName], bytes);
  });
}

Deno.test("assemble_wat - invalid WebAssembly text is refused with the assembler's message", async () => {
  await assert.rejects(
    () => assembleWat("broken.wat", `(module (func (export "f") (result i32) (f32.const 1)))`),
    /type mismatch/,
  );
});
