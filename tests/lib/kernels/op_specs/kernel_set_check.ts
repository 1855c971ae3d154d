/**
 * The rule for a project kernel set: every tfjs op spec that passes on stock wasm passes, and one
 * that fails there fails here only in the same way (the same first line, numbers aside): the case
 * was handed to the kernel the project replaced. Spec files that cannot be loaded here are
 * skipped, as the record says why.
 */
import { fileRecord, gist, readRecord } from "./stock_failures.ts";
import type { KernelSet } from "./run_specs.ts";

/**
 * Specs that fail on stock wasm and fail here later on, where each would stop without a kernel it
 * needs (never with a wrong number): what stock wasm says, what the project says, and why.
 */
const FAILS_LATER: Record<string, { stock: string; here: string; why: string }> = {
  "fused depthwiseConv2D gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0": {
    stock: "Error: Backend 'wasm' has an internal memory leak (3 data ids) after running 'fusedDepthwiseConv2d__op'",
    here: "Error: Kernel 'DepthwiseConv2dNativeBackpropInput' not registered for backend 'wasm'",
    why: "stock wasm's Identity copies the tensors the fused op saves for its gradient, which tfjs's engine " +
      "counts as a leak; the project's Identity shares them, so the spec runs on to a gradient kernel wasm lacks",
  },
};

const failsLater = (spec: string, stock: string, here: string) =>
  FAILS_LATER[spec]?.stock === stock && FAILS_LATER[spec]?.here === here;

/** What breaks the rule under `kernels`, one line each; and how many stock failures pass here. */
export async function departuresFromStock(kernels: KernelSet): Promise<{ problems: string[]; fixed: number }> {
  const record = await readRecord();
  const problems: string[] = [];
  let fixed = 0;
  for (const [file, stock] of Object.entries(record.files)) {
    if (stock.unloadable) continue;
    const found = await fileRecord(file, kernels);
    if (found.unloadable) {
      problems.push(`${file}: cannot be loaded: ${found.unloadable}`);
      continue;
    }
    if (found.specs !== stock.specs) problems.push(`${file}: ${found.specs} specs ran, ${stock.specs} on stock wasm`);
    for (const [spec, failure] of Object.entries(found.failing!)) {
      const onStock = stock.failing![spec];
      if (onStock === undefined) problems.push(`${file}: "${spec}" passes on stock wasm but fails: ${failure}`);
      else if (gist(onStock) !== gist(failure) && !failsLater(spec, onStock, failure)) {
        problems.push(`${file}: "${spec}" fails otherwise than on stock wasm: ${failure} (stock: ${onStock})`);
      }
    }
    fixed += Object.keys(stock.failing!).filter((spec) => !(spec in found.failing!)).length;
  }
  return { problems, fixed };
}
