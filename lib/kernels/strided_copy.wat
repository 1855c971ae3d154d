;; Copies of strided rows over tfjs's wasm heap (wasm_concat_split.ts): row r's $width bytes from
;; $from + r $fromStride to $to + r $toStride, sixteen bytes at a time, then four. Concat and SplitV
;; move each piece of each row so (NHWC along channels: a piece of 16 to 64 floats per pixel),
;; where a TypeScript loop over heap views copied one float at a time.
;;
;; Addresses, widths and strides are in bytes, multiples of 4. Assembled into
;; wasm_strided_copy_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))
  (func (export "copyRows")
    (param $from i32) (param $fromStride i32) (param $to i32) (param $toStride i32) (param $rows i32)
    (param $width i32)
    (local $row i32) (local $at i32) (local $vectorWidth i32)
    (local.set $vectorWidth (i32.and (local.get $width) (i32.const -16)))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $at (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $at) (local.get $vectorWidth)))
            (v128.store (i32.add (local.get $to) (local.get $at)) (v128.load (i32.add (local.get $from) (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $next)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $at) (local.get $width)))
            (i32.store (i32.add (local.get $to) (local.get $at)) (i32.load (i32.add (local.get $from) (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (br $next)))
        (local.set $from (i32.add (local.get $from) (local.get $fromStride)))
        (local.set $to (i32.add (local.get $to) (local.get $toStride)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $nextRow)))))
