;; The elementwise passes of a dense layer over tfjs's wasm heap, four values at a time: the
;; epilogue of the BLAS product (bias, then activation), the backward pass through activation and
;; bias, column sums (every bias gradient), tanh, and the two passes of clipping by global norm.
;; wasm_dense.ts calls them.
;;
;; Apart from tanh, each is float32 arithmetic in the order of the TypeScript (or tfjs kernel) it
;; replaces, so results are bit for bit the same: SIMD only runs across independent values, and the
;; row sums and the sum of squares keep their sequential order. Rows are of $width values; where
;; $width is not a multiple of 4, the per-column passes run one value at a time.
;;
;; Addresses are byte offsets in the heap; counts are in values. Activations: 0 linear, 1 ReLU,
;; 2 tanh. Assembled into wasm_dense_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))

  ;; @include exp.wat

  ;; @include tanh.wat

  (func $activate (param $z v128) (param $activation i32) (result v128)
    (if (result v128) (i32.eq (local.get $activation) (i32.const 1))
      ;; ReLU as tfjs's Relu: max(z, 0), NaN kept, -0 to 0
      (then (f32x4.max (local.get $z) (f32x4.splat (f32.const 0))))
      (else
        (if (result v128) (i32.eq (local.get $activation) (i32.const 2))
          (then (call $tanh (local.get $z)))
          (else (local.get $z))))))

  ;; values[i] = act(values[i] + bias[column]) in place over $count values, bias added when $hasBias
  (func (export "biasActivation")
    (param $values i32) (param $count i32) (param $width i32) (param $bias i32) (param $hasBias i32)
    (param $activation i32)
    (local $at i32) (local $bytes i32) (local $rowBytes i32) (local $c i32) (local $vectorBytes i32)
    (local $pairBytes i32) (local $a v128) (local $b v128)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (if (local.get $hasBias)
      (then
        (if (i32.and (local.get $width) (i32.const 3))
          (then
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
                (f32.store (i32.add (local.get $values) (local.get $at))
                  (f32.add
                    (f32.load (i32.add (local.get $values) (local.get $at)))
                    (f32.load (i32.add (local.get $bias) (local.get $c)))))
                (local.set $at (i32.add (local.get $at) (i32.const 4)))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $rowBytes))))
                (br $next))))
          (else
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
                (v128.store (i32.add (local.get $values) (local.get $at))
                  (f32x4.add
                    (v128.load (i32.add (local.get $values) (local.get $at)))
                    (v128.load (i32.add (local.get $bias) (local.get $c)))))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $rowBytes))))
                (br $next)))))))
    (if (i32.eqz (local.get $activation)) (then (return)))
    (local.set $at (i32.const 0))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    ;; tanh two vectors at a time (tanh.wat's $tanhPair), then as below
    (if (i32.eq (local.get $activation) (i32.const 2))
      (then
        (local.set $pairBytes (i32.and (local.get $bytes) (i32.const -32)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $at) (local.get $pairBytes)))
            (call $tanhPair
              (v128.load (i32.add (local.get $values) (local.get $at)))
              (v128.load offset=16 (i32.add (local.get $values) (local.get $at))))
            (local.set $b)
            (local.set $a)
            (v128.store (i32.add (local.get $values) (local.get $at)) (local.get $a))
            (v128.store offset=16 (i32.add (local.get $values) (local.get $at)) (local.get $b))
            (local.set $at (i32.add (local.get $at) (i32.const 32)))
            (br $next)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $vectorBytes)))
        (v128.store (i32.add (local.get $values) (local.get $at))
          (call $activate (v128.load (i32.add (local.get $values) (local.get $at))) (local.get $activation)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))
    ;; the last 0 to 3 values through the same vector code, one lane used
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (f32.store (i32.add (local.get $values) (local.get $at))
          (f32x4.extract_lane 0
            (call $activate
              (f32x4.splat (f32.load (i32.add (local.get $values) (local.get $at))))
              (local.get $activation))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next))))

  ;; da = dy act'(y) from the layer's output y: ReLU's dy step(y), step(y) being 1 above 0, 0 at or
  ;; below, NaN for NaN (tfjs's Step); tanh's (1 - y y) dy
  (func $activationGrad (param $dy v128) (param $y v128) (param $activation i32) (result v128)
    (if (result v128) (i32.eq (local.get $activation) (i32.const 1))
      (then
        (f32x4.mul
          (local.get $dy)
          (v128.bitselect
            (f32x4.splat (f32.const 1))
            (v128.bitselect
              (f32x4.splat (f32.const 0))
              (f32x4.splat (f32.const nan))
              (f32x4.le (local.get $y) (f32x4.splat (f32.const 0))))
            (f32x4.gt (local.get $y) (f32x4.splat (f32.const 0))))))
      (else
        (f32x4.mul
          (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $y) (local.get $y)))
          (local.get $dy)))))

  ;; da = act'(y) dy over [rows, width], and db = the column sums of da: row 0, then each row added
  ;; in turn (the order of wasm_leading_reduce.ts)
  (func (export "activationBiasGrad")
    (param $dy i32) (param $y i32) (param $da i32) (param $db i32) (param $rows i32) (param $width i32)
    (param $activation i32)
    (local $at i32) (local $bytes i32) (local $vectorBytes i32)
    (local.set $bytes (i32.shl (i32.mul (local.get $width) (local.get $rows)) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $vectorBytes)))
        (v128.store (i32.add (local.get $da) (local.get $at))
          (call $activationGrad
            (v128.load (i32.add (local.get $dy) (local.get $at)))
            (v128.load (i32.add (local.get $y) (local.get $at)))
            (local.get $activation)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (f32.store (i32.add (local.get $da) (local.get $at))
          (f32x4.extract_lane 0
            (call $activationGrad
              (f32x4.splat (f32.load (i32.add (local.get $dy) (local.get $at))))
              (f32x4.splat (f32.load (i32.add (local.get $y) (local.get $at))))
              (local.get $activation))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))
    (call $columnSums (local.get $da) (local.get $rows) (local.get $width) (local.get $db)))

  ;; out[j] = x[0, j] + x[1, j] + ... over [rows, width], in that order (zeros without rows); the
  ;; bias gradients of wasm_leading_reduce.ts and activationBiasGrad
  (func $columnSums (export "columnSums") (param $x i32) (param $rows i32) (param $width i32) (param $out i32)
    (local $at i32) (local $bytes i32) (local $rowBytes i32) (local $c i32)
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $bytes (i32.mul (local.get $rowBytes) (local.get $rows)))
    (local.set $c (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (f32.store (i32.add (local.get $out) (local.get $c))
          (if (result f32) (local.get $rows)
            (then (f32.load (i32.add (local.get $x) (local.get $c))))
            (else (f32.const 0))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $next)))
    (local.set $at (local.get $rowBytes))
    (local.set $c (i32.const 0))
    (if (i32.and (local.get $width) (i32.const 3))
      (then
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
            (f32.store (i32.add (local.get $out) (local.get $c))
              (f32.add
                (f32.load (i32.add (local.get $out) (local.get $c)))
                (f32.load (i32.add (local.get $x) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $rowBytes))))
            (br $next))))
      (else
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
            (v128.store (i32.add (local.get $out) (local.get $c))
              (f32x4.add
                (v128.load (i32.add (local.get $out) (local.get $c)))
                (v128.load (i32.add (local.get $x) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $rowBytes))))
            (br $next))))))

  ;; the sum of x[i]^2 over $count values, one at a time in order (float32 throughout)
  (func (export "sumOfSquares") (param $x i32) (param $count i32) (result f32)
    (local $at i32) (local $bytes i32) (local $sum f32) (local $v f32)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $v (f32.load (i32.add (local.get $x) (local.get $at))))
        (local.set $sum (f32.add (local.get $sum) (f32.mul (local.get $v) (local.get $v))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))
    (local.get $sum))

  ;; out[i] = x[i] s over $count values
  (func (export "scale") (param $x i32) (param $out i32) (param $count i32) (param $s f32)
    (local $at i32) (local $bytes i32) (local $vectorBytes i32)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $vectorBytes)))
        (v128.store (i32.add (local.get $out) (local.get $at))
          (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $at))) (f32x4.splat (local.get $s))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (f32.mul (f32.load (i32.add (local.get $x) (local.get $at))) (local.get $s)))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))))
