;; tanh over four lanes, and over two vectors at once ($tanhPair, through interleaved copies of
;; $exp and $tanhFrom: the same results lane for lane, in about half the time), for the modules that
;; include it after exp.wat (`;; @include tanh.wat`): dense.wat's epilogue and unary.wat's Tanh kernel.

  ;; tanh, within 2 ulp (1.5 at worst over a sweep of [-12, 12]): x + x^3 P(x^2) below |x| = 0.625
  ;; (P a degree-5 least-squares fit, 2e-10 relative error in exact arithmetic), (1 - e) / (1 + e)
  ;; with e = e^(-2|x|) above, where 1 - e does not cancel; the sign put back last (tanh(-0) = -0,
  ;; NaN stays NaN).
  (func $tanh (param $x v128) (result v128)
    (call $tanhFrom (local.get $x) (call $exp (f32x4.mul (f32x4.abs (local.get $x)) (f32x4.splat (f32.const -2))))))

  ;; tanh(x) given e = e^(-2|x|) (so that callers can take the exponentials of two vectors at once)
  (func $tanhFrom (param $x v128) (param $e v128) (result v128)
    (local $a v128) (local $t v128) (local $p v128)
    (local.set $a (f32x4.abs (local.get $x)))
    (local.set $t (f32x4.mul (local.get $a) (local.get $a)))
    (local.set $p (f32x4.splat (f32.const 0.002148957457393408)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const -0.00818463321775198))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const 0.021703990176320076))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const -0.05394745245575905))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const 0.13333211839199066))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const -0.3333333134651184))))
    (local.set $p (f32x4.add (local.get $a) (f32x4.mul (f32x4.mul (local.get $a) (local.get $t)) (local.get $p))))
    (local.set $e
      (f32x4.div
        (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $e))
        (f32x4.add (f32x4.splat (f32.const 1)) (local.get $e))))
    ;; the exponential's lanes where |x| >= 0.625 or NaN (the comparison is false for NaN)
    (local.set $a
      (v128.bitselect (local.get $p) (local.get $e) (f32x4.lt (local.get $a) (f32x4.splat (f32.const 0.625)))))
    ;; |tanh| with x's sign bit
    (v128.or
      (local.get $a)
      (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))

  ;; @interleave $exp
  ;; @interleave $tanhFrom

  (func $tanhPair (param $a v128) (param $b v128) (result v128 v128)
    (local $ea v128) (local $eb v128)
    (call $exp_x2
      (f32x4.mul (f32x4.abs (local.get $a)) (f32x4.splat (f32.const -2)))
      (f32x4.mul (f32x4.abs (local.get $b)) (f32x4.splat (f32.const -2))))
    (local.set $eb)
    (local.set $ea)
    (call $tanhFrom_x2 (local.get $a) (local.get $b) (local.get $ea) (local.get $eb)))
