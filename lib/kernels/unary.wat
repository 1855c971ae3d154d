;; Exp, Log1p and Tanh over tfjs's wasm heap, four values at a time, for blas (wasm_unary.ts),
;; where wasm's own kernels call a scalar expf, log1pf and tanhf (9, 13 and 30 ns a value here): the
;; VAE's and GAN's Bernoulli log-likelihood, log1p(exp(-|logits|)), runs the first two over every
;; pixel of a batch, PPO's networks the third over every hidden unit.
;;
;; Addresses are byte offsets in the heap; counts are in values. Operations: 0 exp, 1 log1p, 2 tanh.
;; Assembled into wasm_unary_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))

  ;; @include exp.wat
  ;; @include tanh.wat

  ;; log1p(x) from log(u), u = 1 + x (Cephes' logf: u = m 2^e, m in [sqrt(1/2), sqrt(2)), a
  ;; degree-8 polynomial in m - 1), corrected for the rounding of u: log1p(x) = log(u) +
  ;; (x - (u - 1)) / u to first order. x itself where u rounds to 1 (so -0 stays -0); -1 gives
  ;; -infinity, below -1 NaN, infinity infinity.
  (func $log1p (param $x v128) (result v128)
    (local $u v128) (local $e v128) (local $m v128) (local $low v128) (local $z v128) (local $y v128)
    (local.set $u (f32x4.add (local.get $x) (f32x4.splat (f32.const 1))))
    ;; e = exponent - 126 (m in [0.5, 1)), then m below sqrt(1/2) doubled
    (local.set $e
      (f32x4.convert_i32x4_s
        (i32x4.sub (i32x4.shr_u (local.get $u) (i32.const 23)) (i32x4.splat (i32.const 126)))))
    (local.set $m (v128.or (v128.and (local.get $u) (i32x4.splat (i32.const 0x007fffff))) (i32x4.splat (i32.const 0x3f000000))))
    (local.set $low (f32x4.lt (local.get $m) (f32x4.splat (f32.const 0.707106781186547524))))
    (local.set $e (f32x4.sub (local.get $e) (v128.and (local.get $low) (f32x4.splat (f32.const 1)))))
    (local.set $m
      (f32x4.sub (f32x4.add (local.get $m) (v128.and (local.get $low) (local.get $m))) (f32x4.splat (f32.const 1))))
    (local.set $z (f32x4.mul (local.get $m) (local.get $m)))
    (local.set $y (f32x4.splat (f32.const 7.0376836292e-2)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const -1.1514610310e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const 1.1676998740e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const -1.2420140846e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const 1.4249322787e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const -1.6668057665e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const 2.0000714765e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const -2.4999993993e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (f32x4.splat (f32.const 3.3333331174e-1))))
    (local.set $y (f32x4.mul (f32x4.mul (local.get $y) (local.get $m)) (local.get $z)))
    ;; log(u) = m + y - z / 2 + e ln 2, ln 2 split in two as in exp
    (local.set $y (f32x4.add (local.get $y) (f32x4.mul (local.get $e) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $y (f32x4.sub (local.get $y) (f32x4.mul (local.get $z) (f32x4.splat (f32.const 0.5)))))
    (local.set $y
      (f32x4.add (f32x4.add (local.get $m) (local.get $y)) (f32x4.mul (local.get $e) (f32x4.splat (f32.const 0.693359375)))))
    ;; + (x - (u - 1)) / u
    (local.set $y
      (f32x4.add
        (local.get $y)
        (f32x4.div (f32x4.sub (local.get $x) (f32x4.sub (local.get $u) (f32x4.splat (f32.const 1)))) (local.get $u))))
    (local.set $y
      (v128.bitselect (local.get $x) (local.get $y) (f32x4.eq (local.get $u) (f32x4.splat (f32.const 1)))))
    (local.set $y
      (v128.bitselect (f32x4.splat (f32.const nan)) (local.get $y) (f32x4.lt (local.get $x) (f32x4.splat (f32.const -1)))))
    (local.set $y
      (v128.bitselect (f32x4.splat (f32.const -inf)) (local.get $y) (f32x4.eq (local.get $x) (f32x4.splat (f32.const -1)))))
    (v128.bitselect (local.get $x) (local.get $y) (f32x4.eq (local.get $x) (f32x4.splat (f32.const inf)))))

  ;; @interleave $log1p

  ;; $apply over two vectors at once, through the interleaved functions (exp.wat's and tanh.wat's
  ;; $exp_x2 and $tanhPair, and $log1p_x2 here): two independent chains of SIMD operations side by
  ;; side run in about half the time of one after the other; the same results lane for lane
  (func $applyPair (param $a v128) (param $b v128) (param $op i32) (result v128 v128)
    (if (i32.eq (local.get $op) (i32.const 2)) (then (return (call $tanhPair (local.get $a) (local.get $b)))))
    (if (local.get $op) (then (return (call $log1p_x2 (local.get $a) (local.get $b)))))
    (call $exp_x2 (local.get $a) (local.get $b)))

  (func $apply (param $v v128) (param $op i32) (result v128)
    (if (result v128) (i32.eq (local.get $op) (i32.const 2))
      (then (call $tanh (local.get $v)))
      (else
        (if (result v128) (local.get $op)
          (then (call $log1p (local.get $v)))
          (else (call $exp (local.get $v)))))))

  ;; out[i] = op(x[i]) over $count values
  (func (export "unary") (param $x i32) (param $out i32) (param $count i32) (param $op i32)
    (local $at i32) (local $bytes i32) (local $vectorBytes i32) (local $pairBytes i32) (local $a v128) (local $b v128)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $pairBytes (i32.and (local.get $bytes) (i32.const -32)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $pairBytes)))
        (call $applyPair
          (v128.load (i32.add (local.get $x) (local.get $at)))
          (v128.load offset=16 (i32.add (local.get $x) (local.get $at)))
          (local.get $op))
        (local.set $b)
        (local.set $a)
        (v128.store (i32.add (local.get $out) (local.get $at)) (local.get $a))
        (v128.store offset=16 (i32.add (local.get $out) (local.get $at)) (local.get $b))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $next)))
    ;; a last single vector, then the last 0 to 3 values
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $vectorBytes)))
        (v128.store (i32.add (local.get $out) (local.get $at))
          (call $apply (v128.load (i32.add (local.get $x) (local.get $at))) (local.get $op)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))
    ;; the last 0 to 3 values through the same vector code, one lane used
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (f32x4.extract_lane 0
            (call $apply (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $at)))) (local.get $op))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))))
