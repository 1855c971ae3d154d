;; log1p(x) over four lanes, and over two vectors at once ($log1p_x2), for the modules that
;; include it (`;; @include log1p.wat`): the Exp/Log1p/Tanh kernels (unary.wat) and the Bernoulli
;; log-likelihood (bce_with_logits.wat). Within 2 ulp (tests/lib/kernels/wasm_unary_test.ts).

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
