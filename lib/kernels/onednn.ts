/**
 * oneDNN (Intel's Deep Neural Network Library, the convolution engine inside PyTorch's CPU path)
 * through Deno's FFI: Debian's libdnnl2, oneDNN 2.x. Its convolutions read each input value once
 * instead of unfolding 9 copies of it (./im2col.ts), and run JIT-compiled AVX2/AVX-512 code: a
 * 3x3, 16-to-16-channel convolution over 64 MNIST-sized images took 1.1 ms here against 5 ms in
 * im2col + OpenBLAS. Found at start or not at all: `openOneDnn()` returns null and the BLAS
 * kernels stay (the reason is in `oneDnnAbsence()`).
 *
 * Only the 2.x C API is bound (3.x changed it). Format tags are looked up by name, not taken from
 * one version's header, and descriptors get room to spare, so any 2.x release works.
 */
import { assertHolds } from "./native_bounds.ts";
import { blasThreads } from "./system_blas.ts";

const LIBRARY = "libdnnl.so.2";

// oneDNN 2.x constants (dnnl_types.h); these did not change across 2.x.
const F32 = 3;
const ENGINE_CPU = 1;
const STREAM_DEFAULT = 1;
const FORWARD_TRAINING = 64;
const CONVOLUTION_DIRECT = 1;
const QUERY_IMPL_INFO = 8;
const QUERY_WEIGHTS_MD = 131;
const QUERY_DIFF_WEIGHTS_MD = 132;
export const ARG = { src: 1, dst: 17, weights: 33, diffSrc: 129, diffDst: 145, diffWeights: 161 } as const;
// sizeof(dnnl_memory_desc_t) is 696 and sizeof(dnnl_convolution_desc_t) 5976 in 2.6; room for growth.
const MEMORY_DESC_BYTES = 4096;
const OP_DESC_BYTES = 16384;

const symbols = {
  dnnl_version: { parameters: [], result: "pointer" },
  dnnl_fmt_tag2str: { parameters: ["i32"], result: "pointer" },
  dnnl_engine_create: { parameters: ["buffer", "i32", "usize"], result: "i32" },
  dnnl_stream_create: { parameters: ["buffer", "pointer", "u32"], result: "i32" },
  dnnl_memory_desc_init_by_tag: { parameters: ["buffer", "i32", "buffer", "i32", "i32"], result: "i32" },
  dnnl_memory_desc_get_size: { parameters: ["pointer"], result: "usize" },
  dnnl_convolution_forward_desc_init: {
    // desc, prop, alg, src, weights, bias, dst, strides, padding_l, padding_r
    parameters: ["buffer", "i32", "i32", "buffer", "buffer", "pointer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_convolution_backward_data_desc_init: {
    // desc, alg, diff_src, weights, diff_dst, strides, padding_l, padding_r
    parameters: ["buffer", "i32", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_convolution_backward_weights_desc_init: {
    // desc, alg, src, diff_weights, diff_bias, diff_dst, strides, padding_l, padding_r
    parameters: ["buffer", "i32", "buffer", "buffer", "pointer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_primitive_desc_create: { parameters: ["buffer", "buffer", "pointer", "pointer", "pointer"], result: "i32" },
  dnnl_primitive_desc_query: { parameters: ["pointer", "i32", "i32", "buffer"], result: "i32" },
  dnnl_primitive_desc_query_md: { parameters: ["pointer", "i32", "i32"], result: "pointer" },
  dnnl_primitive_desc_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_reorder_primitive_desc_create: {
    parameters: ["buffer", "pointer", "pointer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_primitive_create: { parameters: ["buffer", "pointer"], result: "i32" },
  dnnl_memory_create: { parameters: ["buffer", "pointer", "pointer", "pointer"], result: "i32" },
  dnnl_memory_set_data_handle: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_primitive_execute: { parameters: ["pointer", "pointer", "i32", "buffer"], result: "i32" },
  dnnl_stream_wait: { parameters: ["pointer"], result: "i32" },
} as const;

type Symbols = Deno.DynamicLibrary<typeof symbols>["symbols"];
type Pointer = Deno.PointerValue;

/** Geometry of an NHWC convolution with [kh, kw, cin, cout] filters (tfjs's layouts), dilation 1. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

/**
 * forward: (x, filter) -> y; backwardData: (dy, filter) -> dx; backwardWeights: (x, dy) -> dFilter.
 * Every array is a plain NHWC or [kh, kw, cin, cout] view (tfjs's wasm heap or any other memory).
 */
export type ConvKind = "forward" | "backwardData" | "backwardWeights";

export interface OneDnnConvolution {
  /** the implementation oneDNN chose, e.g. "brgconv:avx512_core" */
  implementation: string;
  /** Throws a RangeError, before oneDNN runs, when an array is smaller than the geometry needs. */
  run(a: Float32Array, b: Float32Array, out: Float32Array): void;
}

export interface OneDnn {
  /** library and version, e.g. "libdnnl.so.2 (oneDNN 2.6.3)" */
  description: string;
  /** the threads its OpenMP runtime runs on (the same policy as the BLAS's: see blasThreads); settable */
  threads: number;
  /** A convolution for one geometry (built once, then cached), or null when oneDNN has none for it. */
  convolution(kind: ConvKind, geometry: ConvGeometry): OneDnnConvolution | null;
}

let opened: OneDnn | null | undefined;
let absence = "";

/** Opens oneDNN once; null when it is absent, not 2.x, disabled by TFLAB_ONEDNN=0, or FFI is not allowed. */
export function openOneDnn(): OneDnn | null {
  if (opened !== undefined) return opened;
  opened = null;
  try {
    if (Deno.env.get("TFLAB_ONEDNN") === "0") {
      absence = "disabled by TFLAB_ONEDNN=0";
      return null;
    }
    const library = Deno.dlopen(LIBRARY, symbols);
    const version = new Deno.UnsafePointerView(library.symbols.dnnl_version()!);
    const [major, minor, patch] = [0, 4, 8].map((offset) => version.getInt32(offset));
    if (major !== 2) {
      absence = `${LIBRARY} is oneDNN ${major}.${minor}; the project binds the 2.x API`;
      library.close();
      return null;
    }
    opened = bind(library.symbols, `${LIBRARY} (oneDNN ${major}.${minor}.${patch})`);
  } catch (error) {
    absence = `${LIBRARY} not loaded (on Debian or Ubuntu: apt-get install libdnnl2): ${String(error).split("\n")[0]}`;
  }
  return opened;
}

/** Why `openOneDnn()` returned null ("" when it did not). */
export const oneDnnAbsence = () => (openOneDnn(), absence);

function check(status: number, call: string): void {
  if (status !== 0) throw new Error(`oneDNN ${call} failed with status ${status}`);
}

/** Calls `create(out)` with a one-pointer out-parameter and returns the pointer it wrote. */
function created(create: (out: BigUint64Array) => number, call: string): Pointer {
  const out = new BigUint64Array(1);
  check(create(out), call);
  return Deno.UnsafePointer.create(out[0]);
}

const dims = (values: number[]) => BigInt64Array.from({ length: 12 }, (_, i) => BigInt(values[i] ?? 0));

function bind(S: Symbols, description: string): OneDnn {
  // oneDNN's parallel regions take the OpenMP thread count of the thread that calls them: this one.
  const openmp = Deno.dlopen("libgomp.so.1", { omp_set_num_threads: { parameters: ["i32"], result: "void" } });
  let threads = blasThreads();
  openmp.symbols.omp_set_num_threads(threads);

  const tagNamed = (name: string) => {
    for (let tag = 0; tag < 4096; tag++) {
      const text = S.dnnl_fmt_tag2str(tag);
      if (text && new Deno.UnsafePointerView(text).getCString() === name) return tag;
    }
    throw new Error(`oneDNN has no format tag ${name}`);
  };
  // oneDNN's logical dims are NCHW and OIHW; the tags give tfjs's physical orders.
  const TAG = { any: tagNamed("any"), nhwc: tagNamed("acdb"), hwio: tagNamed("cdba") };

  const engine = created((out) => S.dnnl_engine_create(out, ENGINE_CPU, 0n), "engine_create");
  const stream = created((out) => S.dnnl_stream_create(out, engine, STREAM_DEFAULT), "stream_create");

  const memoryDesc = (shape: number[], tag: number) => {
    const desc = new Uint8Array(MEMORY_DESC_BYTES);
    check(S.dnnl_memory_desc_init_by_tag(desc, shape.length, dims(shape), F32, tag), "memory_desc_init_by_tag");
    return desc;
  };
  const memory = (desc: Uint8Array | Pointer) =>
    created(
      (out) => S.dnnl_memory_create(out, desc instanceof Uint8Array ? Deno.UnsafePointer.of(desc) : desc, engine, null),
      "memory_create",
    );
  const primitiveDesc = (opDesc: Uint8Array, hint: Pointer) =>
    created((out) => S.dnnl_primitive_desc_create(out, opDesc, null, engine, hint), "primitive_desc_create");
  const primitive = (desc: Pointer) => created((out) => S.dnnl_primitive_create(out, desc), "primitive_create");
  const reorder = (from: Pointer, to: Pointer) =>
    primitive(created(
      (out) => S.dnnl_reorder_primitive_desc_create(out, from, engine, to, engine, null),
      "reorder_primitive_desc_create",
    ));
  const implementation = (desc: Pointer) => {
    const out = new BigUint64Array(1);
    check(S.dnnl_primitive_desc_query(desc, QUERY_IMPL_INFO, 0, out), "primitive_desc_query");
    return new Deno.UnsafePointerView(Deno.UnsafePointer.create(out[0])!).getCString();
  };
  const execute = (prim: Pointer, args: [number, Pointer][]) => {
    const packed = new BigUint64Array(args.length * 2); // dnnl_exec_arg_t: { int arg; dnnl_memory_t memory }
    args.forEach(([arg, mem], i) => {
      packed[2 * i] = BigInt(arg);
      packed[2 * i + 1] = BigInt(Deno.UnsafePointer.value(mem));
    });
    return () => check(S.dnnl_primitive_execute(prim, stream, args.length, packed), "primitive_execute");
  };
  const point = (mem: Pointer, data: Float32Array) =>
    check(S.dnnl_memory_set_data_handle(mem, Deno.UnsafePointer.of(data)), "memory_set_data_handle");

  function build(kind: ConvKind, g: ConvGeometry): OneDnnConvolution {
    const xDesc = memoryDesc([g.batch, g.inChannels, g.inHeight, g.inWidth], TAG.nhwc);
    const yDesc = memoryDesc([g.batch, g.outChannels, g.outHeight, g.outWidth], TAG.nhwc);
    const wShape = [g.outChannels, g.inChannels, g.filterHeight, g.filterWidth];
    const [wAny, wUser] = [memoryDesc(wShape, TAG.any), memoryDesc(wShape, TAG.hwio)];
    const [strides, padBefore, padAfter] = [
      dims([g.strideHeight, g.strideWidth]),
      dims([g.padTop, g.padLeft]),
      dims([g.padBottom, g.padRight]),
    ];

    const forwardOp = new Uint8Array(OP_DESC_BYTES);
    check(
      S.dnnl_convolution_forward_desc_init(
        forwardOp,
        FORWARD_TRAINING,
        CONVOLUTION_DIRECT,
        xDesc,
        wAny,
        null,
        yDesc,
        strides,
        padBefore,
        padAfter,
      ),
      "convolution_forward_desc_init",
    );
    const forward = primitiveDesc(forwardOp, null);
    let chosen = forward, weightsQuery = QUERY_WEIGHTS_MD;
    if (kind === "backwardData") {
      const op = new Uint8Array(OP_DESC_BYTES);
      check(
        S.dnnl_convolution_backward_data_desc_init(
          op,
          CONVOLUTION_DIRECT,
          xDesc,
          wAny,
          yDesc,
          strides,
          padBefore,
          padAfter,
        ),
        "convolution_backward_data_desc_init",
      );
      chosen = primitiveDesc(op, forward);
    } else if (kind === "backwardWeights") {
      const op = new Uint8Array(OP_DESC_BYTES);
      check(
        S.dnnl_convolution_backward_weights_desc_init(
          op,
          CONVOLUTION_DIRECT,
          xDesc,
          wAny,
          null,
          yDesc,
          strides,
          padBefore,
          padAfter,
        ),
        "convolution_backward_weights_desc_init",
      );
      chosen = primitiveDesc(op, forward);
      weightsQuery = QUERY_DIFF_WEIGHTS_MD;
    }
    // The filter in the layout the implementation chose (blocked for the JIT kernels), and the
    // reorder between it and tfjs's [kh, kw, cin, cout].
    const packedDesc = S.dnnl_primitive_desc_query_md(chosen, weightsQuery, 0);
    const packed = new Float32Array(Number(S.dnnl_memory_desc_get_size(packedDesc)) / 4);
    // (`packed` is pointed to again on every run, which also keeps it from the garbage collector.)
    const [xMem, yMem, wUserMem, wPackedMem] = [memory(xDesc), memory(yDesc), memory(wUser), memory(packedDesc)];
    const convolution = primitive(chosen);
    const info = implementation(chosen);
    const floats = {
      x: g.batch * g.inHeight * g.inWidth * g.inChannels,
      y: g.batch * g.outHeight * g.outWidth * g.outChannels,
      w: g.filterHeight * g.filterWidth * g.inChannels * g.outChannels,
    };
    const fits = (x: Float32Array, y: Float32Array, w: Float32Array) => {
      assertHolds(x, floats.x, `oneDNN ${kind}: x [${[g.batch, g.inHeight, g.inWidth, g.inChannels]}]`);
      assertHolds(y, floats.y, `oneDNN ${kind}: y [${[g.batch, g.outHeight, g.outWidth, g.outChannels]}]`);
      assertHolds(
        w,
        floats.w,
        `oneDNN ${kind}: filter [${[g.filterHeight, g.filterWidth, g.inChannels, g.outChannels]}]`,
      );
    };

    if (kind === "backwardWeights") {
      const run = execute(convolution, [[ARG.src, xMem], [ARG.diffDst, yMem], [ARG.diffWeights, wPackedMem]]);
      const toUser = reorder(packedDesc, Deno.UnsafePointer.of(wUser));
      const unpack = execute(toUser, [[ARG.src, wPackedMem], [ARG.dst, wUserMem]]);
      return {
        implementation: info,
        run(x, dy, dw) {
          fits(x, dy, dw);
          point(xMem, x), point(yMem, dy), point(wUserMem, dw), point(wPackedMem, packed);
          run(), unpack();
          check(S.dnnl_stream_wait(stream), "stream_wait");
        },
      };
    }
    const fromUser = reorder(Deno.UnsafePointer.of(wUser), packedDesc);
    const pack = execute(fromUser, [[ARG.src, wUserMem], [ARG.dst, wPackedMem]]);
    const run = kind === "forward"
      ? execute(convolution, [[ARG.src, xMem], [ARG.weights, wPackedMem], [ARG.dst, yMem]])
      : execute(convolution, [[ARG.diffDst, yMem], [ARG.weights, wPackedMem], [ARG.diffSrc, xMem]]);
    const [inputMem, outputMem] = kind === "forward" ? [xMem, yMem] : [yMem, xMem];
    return {
      implementation: info,
      run(input, filter, output) {
        if (kind === "forward") fits(input, output, filter);
        else fits(output, input, filter);
        point(inputMem, input), point(wUserMem, filter), point(outputMem, output), point(wPackedMem, packed);
        pack(), run();
        check(S.dnnl_stream_wait(stream), "stream_wait");
      },
    };
  }

  const cache = new Map<string, OneDnnConvolution | null>();
  return {
    description,
    get threads() {
      return threads;
    },
    set threads(count: number) {
      openmp.symbols.omp_set_num_threads(threads = count);
    },
    convolution(kind, geometry) {
      const key = `${kind} ${Object.values(geometry)}`;
      if (!cache.has(key)) {
        let built: OneDnnConvolution | null = null;
        try {
          built = build(kind, geometry);
        } catch {
          // no implementation for this geometry: the caller keeps its own kernel
        }
        cache.set(key, built);
      }
      return cache.get(key)!;
    },
  };
}
