// Generated from strided_copy.wat by `deno task wasm` (lib/kernels/assemble_wat.ts). Do not edit.
export const STRIDED_COPY_WASM = Uint8Array.from(
  atob(
    "AGFzbQEAAAABCgFgBn9/f39/fwACDwEDZW52Bm1lbW9yeQIAAAMCAQAHDAEIY29weVJvd3MAAAqEAQGBAQEDfyAFQXBxIQgCQANAIAYgBE8NAUEAIQcCQANAIAcgCE8NASACIAdqIAAgB2r9AAQA/QsEACAHQRBqIQcMAAsLAkADQCAHIAVPDQEgAiAHaiAAIAdqKAIANgIAIAdBBGohBwwACwsgACABaiEAIAIgA2ohAiAGQQFqIQYMAAsLCw==",
  ),
  (c) => c.charCodeAt(0),
);
