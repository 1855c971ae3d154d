;; col2im: adds each patch row's values back onto the NHWC positions they were unfolded from
;; (im2col.ts's foldAdd, whose JS loop took 10 ms of the mnist_cnn's 20 ms input gradient),
;; four floats at a time.
;;
;; The patches [batch*outH*outW, kH*kW*c] are read in order: output position by output position,
;; tap (kh, kw) by tap, channel by channel; taps that fall in the padding are skipped. `out` must
;; be zero (or hold what the sums add to). Addresses are byte offsets in tfjs's wasm heap.
;; Assembled into wasm_fold_add_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))
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
