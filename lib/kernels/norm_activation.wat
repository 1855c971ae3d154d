;; The passes of normalisation + activation over tfjs's wasm heap (wasm_norm_activation.ts), four
;; channels at a time: the data are rows of C channels, C a multiple of 4, and each pass reads
;; per-channel coefficients (C floats each) at the same channel offset as the data. SiLU's sigmoid
;; uses exp.wat's e^x (Cephes' expf, within 1 ulp), two vectors at a time ($exp_x2).
;;
;; Addresses are byte offsets in the heap; $bytes is the length of the data, $cBytes that of a row.
;; Assembled into wasm_norm_activation_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))

  ;; @include exp.wat

  ;; @interleave $exp

  (func $sigmoid (param $z v128) (result v128)
    (call $sigmoidOf (call $exp (f32x4.neg (local.get $z)))))

  ;; 1 / (1 + e), e = e^-z
  (func $sigmoidOf (param $e v128) (result v128)
    (f32x4.div (f32x4.splat (f32.const 1)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $e))))

  ;; the channel offset after $c (rows of $cBytes)
  (func $nextChannel (param $c i32) (param $cBytes i32) (result i32)
    (local.set $c (i32.add (local.get $c) (i32.const 16)))
    (select (i32.const 0) (local.get $c) (i32.eq (local.get $c) (local.get $cBytes))))

  ;; (x[at] - mean[c]) k[c]: z before shift with k the scale, xhat with k = rstd
  (func $centredAt (param $x i32) (param $at i32) (param $mean i32) (param $k i32) (param $c i32) (result v128)
    (f32x4.mul
      (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $at))) (v128.load (i32.add (local.get $mean) (local.get $c))))
      (v128.load (i32.add (local.get $k) (local.get $c)))))

  ;; a k[c] + b[c]
  (func $affine (param $a v128) (param $k i32) (param $b i32) (param $c i32) (result v128)
    (f32x4.add
      (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $k) (local.get $c))))
      (v128.load (i32.add (local.get $b) (local.get $c)))))

  ;; SiLU'(z) dy = dy s (1 + z (1 - s)), s = sigmoid(z)
  (func $siluGrad (param $g v128) (param $z v128) (param $s v128) (result v128)
    (f32x4.mul
      (f32x4.mul (local.get $g) (local.get $s))
      (f32x4.add
        (f32x4.splat (f32.const 1))
        (f32x4.mul (local.get $z) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $s))))))

  ;; dx[at] = d, dz[c] += d, dzx[c] += d xhat
  (func $accumulate (param $dx i32) (param $at i32) (param $dz i32) (param $dzx i32) (param $c i32)
    (param $d v128) (param $xhat v128)
    (v128.store (i32.add (local.get $dx) (local.get $at)) (local.get $d))
    (v128.store (i32.add (local.get $dz) (local.get $c))
      (f32x4.add (v128.load (i32.add (local.get $dz) (local.get $c))) (local.get $d)))
    (v128.store (i32.add (local.get $dzx) (local.get $c))
      (f32x4.add (v128.load (i32.add (local.get $dzx) (local.get $c))) (f32x4.mul (local.get $d) (local.get $xhat)))))

  ;; forward's SiLU: y = z sigmoid(z), two vectors at a time through $exp_x2 (two independent
  ;; chains of the exponential run in about half the time of one after the other), the last odd
  ;; one alone; the same arithmetic per lane as one at a time
  (func $forwardSilu
    (param $x i32) (param $y i32) (param $bytes i32) (param $cBytes i32)
    (param $mean i32) (param $scale i32) (param $beta i32)
    (local $at i32) (local $c i32) (local $c2 i32) (local $za v128) (local $zb v128) (local $ea v128) (local $eb v128)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 32)) (local.get $bytes)))
        (local.set $c2 (call $nextChannel (local.get $c) (local.get $cBytes)))
        (local.set $za
          (f32x4.add
            (call $centredAt (local.get $x) (local.get $at) (local.get $mean) (local.get $scale) (local.get $c))
            (v128.load (i32.add (local.get $beta) (local.get $c)))))
        (local.set $zb
          (f32x4.add
            (call $centredAt
              (local.get $x) (i32.add (local.get $at) (i32.const 16)) (local.get $mean) (local.get $scale) (local.get $c2))
            (v128.load (i32.add (local.get $beta) (local.get $c2)))))
        (call $exp_x2 (f32x4.neg (local.get $za)) (f32x4.neg (local.get $zb)))
        (local.set $eb)
        (local.set $ea)
        (v128.store (i32.add (local.get $y) (local.get $at))
          (f32x4.mul (local.get $za) (call $sigmoidOf (local.get $ea))))
        (v128.store (i32.add (local.get $y) (i32.add (local.get $at) (i32.const 16)))
          (f32x4.mul (local.get $zb) (call $sigmoidOf (local.get $eb))))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (local.set $c (call $nextChannel (local.get $c2) (local.get $cBytes)))
        (br $next)))
    (if (i32.lt_u (local.get $at) (local.get $bytes))
      (then
        (local.set $za
          (f32x4.add
            (call $centredAt (local.get $x) (local.get $at) (local.get $mean) (local.get $scale) (local.get $c))
            (v128.load (i32.add (local.get $beta) (local.get $c)))))
        (v128.store (i32.add (local.get $y) (local.get $at))
          (f32x4.mul (local.get $za) (call $sigmoid (local.get $za)))))))

  ;; the gradient's first pass for SiLU, two vectors at a time through $exp_x2 as $forwardSilu does
  (func $gradientSilu
    (param $dy i32) (param $x i32) (param $dx i32) (param $bytes i32) (param $cBytes i32)
    (param $mean i32) (param $rstd i32) (param $gamma i32) (param $beta i32) (param $dz i32) (param $dzx i32)
    (local $at i32) (local $c i32) (local $c2 i32) (local $xa v128) (local $xb v128) (local $za v128) (local $zb v128)
    (local $ea v128) (local $eb v128)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 32)) (local.get $bytes)))
        (local.set $c2 (call $nextChannel (local.get $c) (local.get $cBytes)))
        (local.set $xa (call $centredAt (local.get $x) (local.get $at) (local.get $mean) (local.get $rstd) (local.get $c)))
        (local.set $za (call $affine (local.get $xa) (local.get $gamma) (local.get $beta) (local.get $c)))
        (local.set $xb
          (call $centredAt
            (local.get $x) (i32.add (local.get $at) (i32.const 16)) (local.get $mean) (local.get $rstd) (local.get $c2)))
        (local.set $zb (call $affine (local.get $xb) (local.get $gamma) (local.get $beta) (local.get $c2)))
        (call $exp_x2 (f32x4.neg (local.get $za)) (f32x4.neg (local.get $zb)))
        (local.set $eb)
        (local.set $ea)
        (call $accumulate (local.get $dx) (local.get $at) (local.get $dz) (local.get $dzx) (local.get $c)
          (call $siluGrad
            (v128.load (i32.add (local.get $dy) (local.get $at))) (local.get $za) (call $sigmoidOf (local.get $ea)))
          (local.get $xa))
        (call $accumulate (local.get $dx) (i32.add (local.get $at) (i32.const 16)) (local.get $dz) (local.get $dzx)
          (local.get $c2)
          (call $siluGrad
            (v128.load (i32.add (local.get $dy) (i32.add (local.get $at) (i32.const 16))))
            (local.get $zb)
            (call $sigmoidOf (local.get $eb)))
          (local.get $xb))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (local.set $c (call $nextChannel (local.get $c2) (local.get $cBytes)))
        (br $next)))
    (if (i32.lt_u (local.get $at) (local.get $bytes))
      (then
        (local.set $xa (call $centredAt (local.get $x) (local.get $at) (local.get $mean) (local.get $rstd) (local.get $c)))
        (local.set $za (call $affine (local.get $xa) (local.get $gamma) (local.get $beta) (local.get $c)))
        (call $accumulate (local.get $dx) (local.get $at) (local.get $dz) (local.get $dzx) (local.get $c)
          (call $siluGrad
            (v128.load (i32.add (local.get $dy) (local.get $at))) (local.get $za) (call $sigmoid (local.get $za)))
          (local.get $xa)))))

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
        (local.set $c (call $nextChannel (local.get $c) (local.get $cBytes)))
        (br $next))))

  ;; y = act((x - mean[c]) scale[c] + beta[c]): SiLU with $silu, else z above 0 and $slope z below
  (func (export "forward")
    (param $x i32) (param $y i32) (param $bytes i32) (param $cBytes i32)
    (param $mean i32) (param $scale i32) (param $beta i32) (param $silu i32) (param $slope f32)
    (local $at i32) (local $c i32) (local $z v128)
    (if (local.get $silu)
      (then
        (call $forwardSilu
          (local.get $x) (local.get $y) (local.get $bytes) (local.get $cBytes)
          (local.get $mean) (local.get $scale) (local.get $beta))
        (return)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $z
          (f32x4.add
            (call $centredAt (local.get $x) (local.get $at) (local.get $mean) (local.get $scale) (local.get $c))
            (v128.load (i32.add (local.get $beta) (local.get $c)))))
        (local.set $z
          (v128.bitselect
            (local.get $z)
            (f32x4.mul (local.get $z) (f32x4.splat (local.get $slope)))
            (f32x4.gt (local.get $z) (f32x4.splat (f32.const 0)))))
        (v128.store (i32.add (local.get $y) (local.get $at)) (local.get $z))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $c (call $nextChannel (local.get $c) (local.get $cBytes)))
        (br $next))))

  ;; The gradient's first pass: xhat = (x - mean[c]) rstd[c], z = xhat gamma[c] + beta[c],
  ;; d = dy act'(z) into dx, dz[c] += d, dzx[c] += d xhat
  (func (export "gradient")
    (param $dy i32) (param $x i32) (param $dx i32) (param $bytes i32) (param $cBytes i32)
    (param $mean i32) (param $rstd i32) (param $gamma i32) (param $beta i32) (param $dz i32) (param $dzx i32)
    (param $silu i32) (param $slope f32)
    (local $at i32) (local $c i32) (local $xhat v128) (local $z v128) (local $g v128) (local $d v128)
    (if (local.get $silu)
      (then
        (call $gradientSilu
          (local.get $dy) (local.get $x) (local.get $dx) (local.get $bytes) (local.get $cBytes)
          (local.get $mean) (local.get $rstd) (local.get $gamma) (local.get $beta) (local.get $dz) (local.get $dzx))
        (return)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $xhat (call $centredAt (local.get $x) (local.get $at) (local.get $mean) (local.get $rstd) (local.get $c)))
        (local.set $z (call $affine (local.get $xhat) (local.get $gamma) (local.get $beta) (local.get $c)))
        (local.set $g (v128.load (i32.add (local.get $dy) (local.get $at))))
        (local.set $d
          (v128.bitselect
            (local.get $g)
            (f32x4.mul (local.get $g) (f32x4.splat (local.get $slope)))
            (f32x4.gt (local.get $z) (f32x4.splat (f32.const 0)))))
        (call $accumulate (local.get $dx) (local.get $at) (local.get $dz) (local.get $dzx) (local.get $c)
          (local.get $d) (local.get $xhat))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $c (call $nextChannel (local.get $c) (local.get $cBytes)))
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
        (local.set $c (call $nextChannel (local.get $c) (local.get $cBytes)))
        (br $next)))))
