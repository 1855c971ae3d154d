import assert from "node:assert/strict";

Deno.test("oneDNN - TFLAB_ONEDNN=0 turns it off, and the backend line says so and why", async () => {
  const script = `
    import { openOneDnn, oneDnnAbsence } from "./lib/kernels/onednn.ts";
    import { resolveBackend } from "./lib/backend.ts";
    const info = await resolveBackend("auto", () => Promise.resolve(null));
    console.log(JSON.stringify({ opened: openOneDnn() !== null, absence: oneDnnAbsence(), info }));`;
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    env: { TFLAB_ONEDNN: "0" },
    cwd: new URL("../../../", import.meta.url),
  }).output();
  assert.ok(success);
  const { opened, absence, info } = JSON.parse(new TextDecoder().decode(stdout));
  assert.equal(opened, false);
  assert.equal(absence, "disabled by TFLAB_ONEDNN=0");
  if (info.name === "blas") assert.match(info.reason, /convolutions as im2col \+ BLAS: disabled by TFLAB_ONEDNN=0/);
});
