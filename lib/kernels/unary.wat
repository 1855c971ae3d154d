;; Exp, Log1p and Tanh over tfjs's wasm heap, four values at a time, for blas (wasm_unary.ts),
;; where wasm's own kernels call a scalar expf, log1pf and tanhf (9, 13 and 30 ns a value here): the
;; GAN's Bernoulli log-likelihood, log1p(exp(-|logits|)), runs the first two (the VAE's and the
;; autoencoder's have a kernel of their own, bce_with_logits.wat), PPO's networks the third over
;; every hidden unit.
;;
;; Addresses are byte offsets in the heap; counts are in values. Operations: 0 exp, 1 log1p, 2 tanh.
;; Assembled into wasm_unary_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))

  ;; @include exp.wat
  ;; @include tanh.wat
  ;; @include log1p.wat

  ;; $apply over two vectors at once, through the interleaved functions (exp.wat's and tanh.wat's
  ;; $exp_x2 and $tanhPair, log1p.wat's $log1p_x2): two independent chains of SIMD operations side by
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
