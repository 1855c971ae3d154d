import assert from "node:assert/strict";
import { assembleWat, WAT_MODULES, watText } from "../../../lib/kernels/assemble_wat.ts";
import { interleaved } from "../../../lib/kernels/interleave_wat.ts";

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

Deno.test("assemble_wat - @interleave writes $f_x2: two vectors' statements alternating, the same per-lane results", async () => {
  const source = `(module
  (func $twice (param $x v128) (result v128) (local $y v128)
    ;; a comment (with parentheses) inside
    (local.set $y (f32x4.add (local.get $x) (local.get $x)))
    (f32x4.mul (local.get $y) (f32x4.splat (f32.const 1.5))))
  ;; @interleave $twice
  (func (export "both") (param $a v128) (param $b v128) (result v128 v128)
    (call $twice_x2 (local.get $a) (local.get $b))))`;
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/twice.wat`, source);
    const text = await watText(new URL(`file://${dir}/`), "twice.wat");
    assert.match(text, /\(local.set \$y_a [^\n]*\n\(local.set \$y_b /);
    const bytes = await assembleWat("twice.wat", text);
    assert.ok(bytes.length > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assemble_wat - @interleave refuses a function that is not straight-line code over one vector", () => {
  const source = `(module (func $f (param $x v128) (result v128) (call $g (local.get $x))))`;
  assert.throws(() => interleaved(source, "$f"), /interleave: \$f must return one v128 from straight-line code/);
  assert.throws(() => interleaved(source, "$missing"), /interleave: no function \$missing/);
});
