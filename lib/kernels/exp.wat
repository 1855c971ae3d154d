;; e^x over four lanes, for the modules that include it (a line `;; @include exp.wat`, which
;; assemble_wat.ts replaces with this file): Cephes' expf, a degree-5 polynomial after range
;; reduction, within 1 ulp of the exact value (tests/lib/kernels/wasm_unary_test.ts sweeps it).

  ;; e^x, x clamped to [-104, 89] (beyond: 0 and infinity, as the products below round them). Built
  ;; from the instructions that map to one x86 instruction each: pmin/pmax rather than min/max (NaN
  ;; rules), and n = round(x log2 e) by adding 1.5 2^23, whose float bits then hold n, rather than
  ;; nearest + trunc_sat. 2^n is applied as 2^(n - n/2) 2^(n/2), two normal floats, so that results
  ;; below 2^-126 come out subnormal and above 2^128 infinite instead of wrapping the exponent bits.
  (func $exp (param $x v128) (result v128)
    (local $j v128) (local $n v128) (local $r v128) (local $p v128) (local $half v128)
    (local.set $x (f32x4.pmax (f32x4.pmin (local.get $x) (f32x4.splat (f32.const 89))) (f32x4.splat (f32.const -104))))
    (local.set $j
      (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341))) (f32x4.splat (f32.const 12582912))))
    (local.set $n (f32x4.sub (local.get $j) (f32x4.splat (f32.const 12582912))))
    ;; r = x - n ln 2, ln 2 split in two so that n * ln2_hi is exact
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
        (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    ;; n as an integer: bits(j) - bits(1.5 2^23); half = n >> 1; 2^k is (k + 127) << 23
    (local.set $n (i32x4.sub (local.get $j) (i32x4.splat (i32.const 0x4b400000))))
    (local.set $half (i32x4.shr_s (local.get $n) (i32.const 1)))
    (f32x4.mul
      (f32x4.mul
        (f32x4.add
          (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
          (f32x4.splat (f32.const 1)))
        (i32x4.shl (i32x4.add (i32x4.sub (local.get $n) (local.get $half)) (i32x4.splat (i32.const 127))) (i32.const 23)))
      (i32x4.shl (i32x4.add (local.get $half) (i32x4.splat (i32.const 127))) (i32.const 23))))
