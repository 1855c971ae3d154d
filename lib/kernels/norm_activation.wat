;; The passes of normalisation + activation over tfjs's wasm heap (wasm_norm_activation.ts), four
;; channels at a time: the data are rows of C channels, C a multiple of 4, and each pass reads
;; per-channel coefficients (C floats each) at the same channel offset as the data. SiLU's sigmoid
;; uses exp.wat's e^x (Cephes' expf: a degree-5 polynomial after range reduction, about 2 ulp).
;;
;; Addresses are byte offsets in the heap; $bytes is the length of the data, $cBytes that of a row.
;; Assembled into wasm_norm_activation_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))

  ;; @include exp.wat

  (func $sigmoid (param $z v128) (result v128)
    (f32x4.div
      (f32x4.splat (f32.const 1))
      (f32x4.add (f32x4.splat (f32.const 1)) (call $exp (f32x4.neg (local.get $z))))))

  ;; out[c] += x - centre[c], or its square with $square, over the rows
  (func (export "sums")
    (param $x i32) (param $bytes i32) (param $cBytes i32) (param $centre i32) (param $out i32) (param $square i32)
    (local $at i32) (local $c i32) (local $d v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $d
          (f32x4.sub
            (v128.load (i32.add (local.get $x) (local.get $at)))
            (v128.load (i32.add (local.get $centre) (local.get $c)))))
        (if (local.get $square) (then (local.set $d (f32x4.mul (local.get $d) (local.get $d)))))
        (v128.store (i32.add (local.get $out) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $out) (local.get $c))) (local.get $d)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $cBytes))))
        (br $next))))

  ;; y = act((x - mean[c]) scale[c] + beta[c]): SiLU with $silu, else z above 0 and $slope z below
  (func (export "forward")
    (param $x i32) (param $y i32) (param $bytes i32) (param $cBytes i32)
    (param $mean i32) (param $scale i32) (param $beta i32) (param $silu i32) (param $slope f32)
    (local $at i32) (local $c i32) (local $z v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $z
          (f32x4.add
            (f32x4.mul
              (f32x4.sub
                (v128.load (i32.add (local.get $x) (local.get $at)))
                (v128.load (i32.add (local.get $mean) (local.get $c))))
              (v128.load (i32.add (local.get $scale) (local.get $c))))
            (v128.load (i32.add (local.get $beta) (local.get $c)))))
        (local.set $z
          (if (result v128) (local.get $silu)
            (then (f32x4.mul (local.get $z) (call $sigmoid (local.get $z))))
            (else
              (v128.bitselect
                (local.get $z)
                (f32x4.mul (local.get $z) (f32x4.splat (local.get $slope)))
                (f32x4.gt (local.get $z) (f32x4.splat (f32.const 0)))))))
        (v128.store (i32.add (local.get $y) (local.get $at)) (local.get $z))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $cBytes))))
        (br $next))))

  ;; The gradient's first pass: xhat = (x - mean[c]) rstd[c], z = xhat gamma[c] + beta[c],
  ;; d = dy act'(z) into dx, dz[c] += d, dzx[c] += d xhat
  (func (export "gradient")
    (param $dy i32) (param $x i32) (param $dx i32) (param $bytes i32) (param $cBytes i32)
    (param $mean i32) (param $rstd i32) (param $gamma i32) (param $beta i32) (param $dz i32) (param $dzx i32)
    (param $silu i32) (param $slope f32)
    (local $at i32) (local $c i32) (local $xhat v128) (local $z v128) (local $s v128) (local $g v128) (local $d v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $xhat
          (f32x4.mul
            (f32x4.sub
              (v128.load (i32.add (local.get $x) (local.get $at)))
              (v128.load (i32.add (local.get $mean) (local.get $c))))
            (v128.load (i32.add (local.get $rstd) (local.get $c)))))
        (local.set $z
          (f32x4.add
            (f32x4.mul (local.get $xhat) (v128.load (i32.add (local.get $gamma) (local.get $c))))
            (v128.load (i32.add (local.get $beta) (local.get $c)))))
        (local.set $g (v128.load (i32.add (local.get $dy) (local.get $at))))
        (if (local.get $silu)
          (then
            ;; SiLU'(z) = s (1 + z (1 - s)), s = sigmoid(z)
            (local.set $s (call $sigmoid (local.get $z)))
            (local.set $d
              (f32x4.mul
                (f32x4.mul (local.get $g) (local.get $s))
                (f32x4.add
                  (f32x4.splat (f32.const 1))
                  (f32x4.mul (local.get $z) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $s)))))))
          (else
            (local.set $d
              (v128.bitselect
                (local.get $g)
                (f32x4.mul (local.get $g) (f32x4.splat (local.get $slope)))
                (f32x4.gt (local.get $z) (f32x4.splat (f32.const 0)))))))
        (v128.store (i32.add (local.get $dx) (local.get $at)) (local.get $d))
        (v128.store (i32.add (local.get $dz) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $dz) (local.get $c))) (local.get $d)))
        (v128.store (i32.add (local.get $dzx) (local.get $c))
          (f32x4.add
            (v128.load (i32.add (local.get $dzx) (local.get $c)))
            (f32x4.mul (local.get $d) (local.get $xhat))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $cBytes))))
        (br $next))))

  ;; The gradient's second pass, in place: dx = dx k1[c] + (x - mean[c]) k2[c] + k3[c]
  (func (export "gradientOut")
    (param $dx i32) (param $x i32) (param $bytes i32) (param $cBytes i32)
    (param $mean i32) (param $k1 i32) (param $k2 i32) (param $k3 i32)
    (local $at i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (v128.store (i32.add (local.get $dx) (local.get $at))
          (f32x4.add
            (f32x4.add
              (f32x4.mul
                (v128.load (i32.add (local.get $dx) (local.get $at)))
                (v128.load (i32.add (local.get $k1) (local.get $c))))
              (f32x4.mul
                (f32x4.sub
                  (v128.load (i32.add (local.get $x) (local.get $at)))
                  (v128.load (i32.add (local.get $mean) (local.get $c))))
                (v128.load (i32.add (local.get $k2) (local.get $c)))))
            (v128.load (i32.add (local.get $k3) (local.get $c)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $c (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $cBytes))))
        (br $next)))))
