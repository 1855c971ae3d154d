;; The Bernoulli log-likelihood of logits, PyTorch's binary_cross_entropy_with_logits with reduction
;; "sum", one pass over tfjs's wasm heap each way, for blas (wasm_bce_with_logits.ts): tfjs composes
;; it from 9 kernels forward and 14 backward, each a pass over every pixel of the batch.
;;
;;   loss = sum_i max(l_i, 0) - l_i x_i + log1p(exp(-|l_i|))     (the stable form, as tfjs's)
;;   d loss / d l_i = dy (sigmoid(l_i) - x_i)
;;
;; Addresses are byte offsets in the heap; counts are in values. Two vectors at a time through the
;; interleaved functions ($exp_x2, $log1p_x2, $gradTerm_x2), then the last 0 to 7 values one by one.
;; Assembled into wasm_bce_with_logits_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))

  ;; @include exp.wat
  ;; @include log1p.wat
  ;; @interleave $exp

  ;; e^-|l|, the term both directions share
  (func $expNegAbs (param $l v128) (result v128)
    (call $exp (f32x4.neg (f32x4.abs (local.get $l)))))

  ;; one element's loss, p = log1p(e^-|l|), summed in the composition's order: (max(l, 0) - l x) + p
  (func $term (param $l v128) (param $x v128) (param $p v128) (result v128)
    (f32x4.add
      (f32x4.sub (f32x4.pmax (local.get $l) (f32x4.splat (f32.const 0))) (f32x4.mul (local.get $l) (local.get $x)))
      (local.get $p)))

  ;; dy (sigmoid(l) - x) from e = e^-|l|: sigmoid(l) = 1 / (1 + e) for l >= 0, e / (1 + e) below,
  ;; so that e never overflows
  (func $gradTerm (param $l v128) (param $x v128) (param $e v128) (param $dy v128) (result v128)
    (f32x4.mul
      (local.get $dy)
      (f32x4.sub
        (f32x4.div
          (v128.bitselect (f32x4.splat (f32.const 1)) (local.get $e) (f32x4.ge (local.get $l) (f32x4.splat (f32.const 0))))
          (f32x4.add (f32x4.splat (f32.const 1)) (local.get $e)))
        (local.get $x))))

  ;; @interleave $gradTerm

  ;; out[0] = the loss summed over $count values; the terms are float32 (as the composition's), their
  ;; sum is float64, rounded once at the end
  (func (export "sum") (param $l i32) (param $x i32) (param $count i32) (param $out i32)
    (local $at i32) (local $bytes i32) (local $pairBytes i32)
    (local $la v128) (local $lb v128) (local $pa v128) (local $pb v128) (local $pair v128) (local $sums v128)
    (local $one v128) (local $rest f64)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $pairBytes (i32.and (local.get $bytes) (i32.const -32)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $pairBytes)))
        (local.set $la (v128.load (i32.add (local.get $l) (local.get $at))))
        (local.set $lb (v128.load offset=16 (i32.add (local.get $l) (local.get $at))))
        (call $log1p_x2
          (call $exp_x2
            (f32x4.neg (f32x4.abs (local.get $la)))
            (f32x4.neg (f32x4.abs (local.get $lb)))))
        (local.set $pb)
        (local.set $pa)
        (local.set $pair
          (f32x4.add
            (call $term (local.get $la) (v128.load (i32.add (local.get $x) (local.get $at))) (local.get $pa))
            (call $term (local.get $lb) (v128.load offset=16 (i32.add (local.get $x) (local.get $at))) (local.get $pb))))
        (local.set $sums (f64x2.add (local.get $sums) (f64x2.promote_low_f32x4 (local.get $pair))))
        (local.set $sums
          (f64x2.add
            (local.get $sums)
            (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $pair) (local.get $pair)))))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $one (f32x4.splat (f32.load (i32.add (local.get $l) (local.get $at)))))
        (local.set $rest
          (f64.add
            (local.get $rest)
            (f64.promote_f32
              (f32x4.extract_lane 0
                (call $term
                  (local.get $one)
                  (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $at))))
                  (call $log1p (call $expNegAbs (local.get $one))))))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))
    (f32.store
      (local.get $out)
      (f32.demote_f64
        (f64.add
          (f64.add (f64x2.extract_lane 0 (local.get $sums)) (f64x2.extract_lane 1 (local.get $sums)))
          (local.get $rest)))))

  ;; out[i] = dy[0] (sigmoid(l[i]) - x[i]) over $count values
  (func (export "grad") (param $l i32) (param $x i32) (param $dy i32) (param $count i32) (param $out i32)
    (local $at i32) (local $bytes i32) (local $pairBytes i32) (local $g v128)
    (local $la v128) (local $lb v128) (local $ea v128) (local $eb v128) (local $ga v128) (local $gb v128) (local $one v128)
    (local.set $g (v128.load32_splat (local.get $dy)))
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $pairBytes (i32.and (local.get $bytes) (i32.const -32)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $pairBytes)))
        (local.set $la (v128.load (i32.add (local.get $l) (local.get $at))))
        (local.set $lb (v128.load offset=16 (i32.add (local.get $l) (local.get $at))))
        (call $exp_x2 (f32x4.neg (f32x4.abs (local.get $la))) (f32x4.neg (f32x4.abs (local.get $lb))))
        (local.set $eb)
        (local.set $ea)
        (call $gradTerm_x2
          (local.get $la)
          (local.get $lb)
          (v128.load (i32.add (local.get $x) (local.get $at)))
          (v128.load offset=16 (i32.add (local.get $x) (local.get $at)))
          (local.get $ea)
          (local.get $eb)
          (local.get $g)
          (local.get $g))
        (local.set $gb)
        (local.set $ga)
        (v128.store (i32.add (local.get $out) (local.get $at)) (local.get $ga))
        (v128.store offset=16 (i32.add (local.get $out) (local.get $at)) (local.get $gb))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $one (f32x4.splat (f32.load (i32.add (local.get $l) (local.get $at)))))
        (f32.store
          (i32.add (local.get $out) (local.get $at))
          (f32x4.extract_lane 0
            (call $gradTerm
              (local.get $one)
              (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $at))))
              (call $expNegAbs (local.get $one))
              (local.get $g))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))))
