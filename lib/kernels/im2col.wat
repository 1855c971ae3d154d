;; im2col (Chellapilla et al. 2006) and its adjoint, for the convolution kernels of im2col.ts.
;; Patches [batch*outH*outW, kH*kW*c] hold one row per output position, taps in (kh, kw, c) order.
;; Addresses are byte offsets in tfjs's wasm heap. Assembled into wasm_im2col_module.ts by
;; `deno task wasm`.
(module
  (import "env" "memory" (memory 0))
  ;; unfold: fills the patches from the NHWC `input`; taps in the padding are zero. Each filter
  ;; row's in-bounds taps are one contiguous run of the input, copied sixteen bytes at a time. (The
  ;; JS version made one copyWithin call per run: 4.6 ms for the 1-channel 4x4 conv of DCGAN's
  ;; discriminator, whose runs are 16 bytes.)
  (func (export "unfold")
    (param $input i32) (param $patches i32)
    (param $batch i32) (param $inH i32) (param $inW i32) (param $c i32)
    (param $outH i32) (param $outW i32) (param $kH i32) (param $kW i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $ih i32)
    (local $left i32) (local $firstTap i32) (local $endTap i32)
    (local $tapBytes i32) (local $rowBytes i32) (local $row i32)
    (local.set $tapBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $rowBytes (i32.mul (i32.mul (local.get $kH) (local.get $kW)) (local.get $tapBytes)))
    (memory.fill (local.get $patches) (i32.const 0)
      (i32.mul (i32.mul (i32.mul (local.get $batch) (local.get $outH)) (local.get $outW)) (local.get $rowBytes)))
    (local.set $row (local.get $patches))
    (local.set $b (i32.const 0))
    (block $batchesDone (loop $batches
      (br_if $batchesDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $ow (i32.const 0))
        (block $columnsDone (loop $columns
          (br_if $columnsDone (i32.ge_u (local.get $ow) (local.get $outW)))
          ;; the taps kw in [firstTap, endTap) of every filter row fall inside the input's columns
          (local.set $left (i32.sub (i32.mul (local.get $ow) (local.get $strideW)) (local.get $padLeft)))
          (local.set $firstTap
            (select (i32.sub (i32.const 0) (local.get $left)) (i32.const 0) (i32.lt_s (local.get $left) (i32.const 0))))
          (local.set $endTap (i32.sub (local.get $inW) (local.get $left)))
          (local.set $endTap
            (select (local.get $kW) (local.get $endTap) (i32.lt_s (local.get $kW) (local.get $endTap))))
          (local.set $kh (i32.const 0))
          (block $tapRowsDone (loop $tapRows
            (br_if $tapRowsDone
              (i32.or (i32.ge_u (local.get $kh) (local.get $kH)) (i32.ge_s (local.get $firstTap) (local.get $endTap))))
            (local.set $ih
              (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $strideH)) (local.get $kh)) (local.get $padTop)))
            ;; 0 <= ih < inH (the unsigned compare catches the negatives)
            (if (i32.lt_u (local.get $ih) (local.get $inH))
              (then
                (call $copy
                  (i32.add (local.get $row)
                    (i32.mul (i32.add (i32.mul (local.get $kh) (local.get $kW)) (local.get $firstTap)) (local.get $tapBytes)))
                  (i32.add (local.get $input)
                    (i32.mul
                      (i32.add
                        (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (local.get $ih)) (local.get $inW))
                        (i32.add (local.get $left) (local.get $firstTap)))
                      (local.get $tapBytes)))
                  (i32.mul (i32.sub (local.get $endTap) (local.get $firstTap)) (local.get $tapBytes)))))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $tapRows)))
          (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $columns)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $rows)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batches))))
  ;; copies `bytes` (a multiple of 4) from `from` to `to`, which do not overlap
  (func $copy (param $to i32) (param $from i32) (param $bytes i32)
    (local $at i32) (local $vectorBytes i32)
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (block $vectorDone (loop $vector
      (br_if $vectorDone (i32.ge_u (local.get $at) (local.get $vectorBytes)))
      (v128.store (i32.add (local.get $to) (local.get $at)) (v128.load (i32.add (local.get $from) (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $vector)))
    (block $scalarDone (loop $scalar
      (br_if $scalarDone (i32.ge_u (local.get $at) (local.get $bytes)))
      (i32.store (i32.add (local.get $to) (local.get $at)) (i32.load (i32.add (local.get $from) (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $scalar))))

  ;; foldAdd: adds each patch row's values back onto the NHWC positions they were unfolded from,
  ;; four floats at a time (the JS loop it replaced took 10 ms of the mnist_cnn's 20 ms input
  ;; gradient). The patches are read in order; taps in the padding are skipped. `out` must be zero.
  (func (export "foldAdd")
    (param $patches i32) (param $out i32)
    (param $batch i32) (param $inH i32) (param $inW i32) (param $c i32)
    (param $outH i32) (param $outW i32) (param $kH i32) (param $kW i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32)
    (local $ih i32) (local $iw i32) (local $src i32) (local $dst i32) (local $k i32)
    (local $tapBytes i32) (local $vectorBytes i32)
    (local.set $tapBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $tapBytes) (i32.const -16)))
    (local.set $src (local.get $patches))
    (local.set $b (i32.const 0))
    (loop $batches
      (local.set $oh (i32.const 0))
      (loop $rows
        (local.set $ow (i32.const 0))
        (loop $columns
          (local.set $kh (i32.const 0))
          (loop $tapRows
            (local.set $ih
              (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $strideH)) (local.get $kh)) (local.get $padTop)))
            (local.set $kw (i32.const 0))
            (loop $taps
              (local.set $iw
                (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $strideW)) (local.get $kw)) (local.get $padLeft)))
              ;; in bounds: 0 <= ih < inH and 0 <= iw < inW (unsigned compares catch the negatives)
              (if (i32.and (i32.lt_u (local.get $ih) (local.get $inH)) (i32.lt_u (local.get $iw) (local.get $inW)))
                (then
                  (local.set $dst
                    (i32.add (local.get $out)
                      (i32.mul
                        (i32.add
                          (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (local.get $ih)) (local.get $inW))
                          (local.get $iw))
                        (local.get $tapBytes))))
                  (local.set $k (i32.const 0))
                  (block $vectorDone
                    (loop $vector
                      (br_if $vectorDone (i32.ge_u (local.get $k) (local.get $vectorBytes)))
                      (v128.store (i32.add (local.get $dst) (local.get $k))
                        (f32x4.add
                          (v128.load (i32.add (local.get $dst) (local.get $k)))
                          (v128.load (i32.add (local.get $src) (local.get $k)))))
                      (local.set $k (i32.add (local.get $k) (i32.const 16)))
                      (br $vector)))
                  (block $scalarDone
                    (loop $scalar
                      (br_if $scalarDone (i32.ge_u (local.get $k) (local.get $tapBytes)))
                      (f32.store (i32.add (local.get $dst) (local.get $k))
                        (f32.add
                          (f32.load (i32.add (local.get $dst) (local.get $k)))
                          (f32.load (i32.add (local.get $src) (local.get $k)))))
                      (local.set $k (i32.add (local.get $k) (i32.const 4)))
                      (br $scalar)))))
              (local.set $src (i32.add (local.get $src) (local.get $tapBytes)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br_if $taps (i32.lt_u (local.get $kw) (local.get $kW))))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br_if $tapRows (i32.lt_u (local.get $kh) (local.get $kH))))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br_if $columns (i32.lt_u (local.get $ow) (local.get $outW))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $oh) (local.get $outH))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batches (i32.lt_u (local.get $b) (local.get $batch))))))
