/**
 * The last check before native code (BLAS, oneDNN, the project's wasm kernels) touches memory: a
 * native routine trusts the sizes it is given and reads or writes past a buffer that is too
 * small, into whatever lies next in the heap. Each entry point checks its buffers against the
 * sizes it will touch, whatever its caller checked before.
 */

/** Throws unless `view` holds at least `floats` values (a whole, non-negative count). */
export function assertHolds(view: { length: number }, floats: number, what: string): void {
  if (!Number.isSafeInteger(floats) || floats < 0) throw new RangeError(`${what}: ${floats} is not a valid size`);
  if (view.length < floats) {
    throw new RangeError(`${what}: needs ${floats} floats, but its buffer holds ${view.length}`);
  }
}
