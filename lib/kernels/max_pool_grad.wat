;; MaxPoolGrad, NHWC: each output gradient goes to the input that won its window, the first
;; maximum in window order (as tfjs's cpu kernel picks), four channels at a time. Windows may
;; overlap and may reach into the padding. `dx` must be zero. Addresses are byte offsets in
;; tfjs's wasm heap. Assembled into wasm_max_pool_grad_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $inH i32) (param $inW i32) (param $c i32)
    (param $outH i32) (param $outW i32) (param $fH i32) (param $fW i32)
    (param $strideH i32) (param $strideW i32) (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $r i32) (local $col i32)
    (local $top i32) (local $left i32) (local $rowStart i32) (local $rowEnd i32) (local $colStart i32) (local $colEnd i32)
    (local $channelBytes i32) (local $vectorBytes i32) (local $d i32) (local $tap i32) (local $dyAt i32)
    (local $value v128) (local $best v128) (local $winner v128) (local $wins v128)
    (local $value1 f32) (local $best1 f32) (local $winner1 i32) (local $at i32)
    (local.set $channelBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $channelBytes) (i32.const -16)))
    (local.set $dyAt (local.get $dy)) ;; dy is read in order: window by window, channel by channel
    (local.set $b (i32.const 0))
    (block $batchesDone (loop $batches
      (br_if $batchesDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $top (i32.sub (i32.mul (local.get $oh) (local.get $strideH)) (local.get $padTop)))
        (local.set $rowStart (select (local.get $top) (i32.const 0) (i32.gt_s (local.get $top) (i32.const 0))))
        (local.set $rowEnd (i32.add (local.get $top) (local.get $fH)))
        (local.set $rowEnd
          (select (local.get $rowEnd) (local.get $inH) (i32.lt_s (local.get $rowEnd) (local.get $inH))))
        (local.set $ow (i32.const 0))
        (block $columnsDone (loop $columns
          (br_if $columnsDone (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $left (i32.sub (i32.mul (local.get $ow) (local.get $strideW)) (local.get $padLeft)))
          (local.set $colStart (select (local.get $left) (i32.const 0) (i32.gt_s (local.get $left) (i32.const 0))))
          (local.set $colEnd (i32.add (local.get $left) (local.get $fW)))
          (local.set $colEnd
            (select (local.get $colEnd) (local.get $inW) (i32.lt_s (local.get $colEnd) (local.get $inW))))
          ;; four channels at a time: the running maximum and the byte offset of the tap it came from
          (local.set $d (i32.const 0))
          (block $vectorDone (loop $vector
            (br_if $vectorDone (i32.ge_u (local.get $d) (local.get $vectorBytes)))
            (local.set $best (f32x4.splat (f32.const -inf)))
            (local.set $winner (i32x4.splat (i32.const -1)))
            (local.set $r (local.get $rowStart))
            (block $windowRowsDone (loop $windowRows
              (br_if $windowRowsDone (i32.ge_s (local.get $r) (local.get $rowEnd)))
              (local.set $col (local.get $colStart))
              (local.set $tap (call $tapAt (local.get $b) (local.get $r) (local.get $col)
                (local.get $inH) (local.get $inW) (local.get $channelBytes)))
              (block $windowColumnsDone (loop $windowColumns
                (br_if $windowColumnsDone (i32.ge_s (local.get $col) (local.get $colEnd)))
                (local.set $value (v128.load (i32.add (i32.add (local.get $x) (local.get $tap)) (local.get $d))))
                ;; strictly greater: a tie keeps the first maximum
                (local.set $wins (f32x4.gt (local.get $value) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $value) (local.get $best) (local.get $wins)))
                (local.set $winner (v128.bitselect (i32x4.splat (local.get $tap)) (local.get $winner) (local.get $wins)))
                (local.set $tap (i32.add (local.get $tap) (local.get $channelBytes)))
                (local.set $col (i32.add (local.get $col) (i32.const 1)))
                (br $windowColumns)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $windowRows)))
            (call $route (local.get $dx) (i32x4.extract_lane 0 (local.get $winner))
              (i32.add (local.get $d) (i32.const 0)) (i32.add (local.get $dyAt) (i32.const 0)))
            (call $route (local.get $dx) (i32x4.extract_lane 1 (local.get $winner))
              (i32.add (local.get $d) (i32.const 4)) (i32.add (local.get $dyAt) (i32.const 4)))
            (call $route (local.get $dx) (i32x4.extract_lane 2 (local.get $winner))
              (i32.add (local.get $d) (i32.const 8)) (i32.add (local.get $dyAt) (i32.const 8)))
            (call $route (local.get $dx) (i32x4.extract_lane 3 (local.get $winner))
              (i32.add (local.get $d) (i32.const 12)) (i32.add (local.get $dyAt) (i32.const 12)))
            (local.set $dyAt (i32.add (local.get $dyAt) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $vector)))
          ;; the last 0 to 3 channels, one at a time, the same way
          (block $scalarDone (loop $scalar
            (br_if $scalarDone (i32.ge_u (local.get $d) (local.get $channelBytes)))
            (local.set $best1 (f32.const -inf))
            (local.set $winner1 (i32.const -1))
            (local.set $r (local.get $rowStart))
            (block $windowRowsDone1 (loop $windowRows1
              (br_if $windowRowsDone1 (i32.ge_s (local.get $r) (local.get $rowEnd)))
              (local.set $col (local.get $colStart))
              (local.set $tap (call $tapAt (local.get $b) (local.get $r) (local.get $col)
                (local.get $inH) (local.get $inW) (local.get $channelBytes)))
              (block $windowColumnsDone1 (loop $windowColumns1
                (br_if $windowColumnsDone1 (i32.ge_s (local.get $col) (local.get $colEnd)))
                (local.set $value1 (f32.load (i32.add (i32.add (local.get $x) (local.get $tap)) (local.get $d))))
                (if (f32.gt (local.get $value1) (local.get $best1))
                  (then
                    (local.set $best1 (local.get $value1))
                    (local.set $winner1 (local.get $tap))))
                (local.set $tap (i32.add (local.get $tap) (local.get $channelBytes)))
                (local.set $col (i32.add (local.get $col) (i32.const 1)))
                (br $windowColumns1)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $windowRows1)))
            (call $route (local.get $dx) (local.get $winner1) (local.get $d) (local.get $dyAt))
            (local.set $dyAt (i32.add (local.get $dyAt) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (br $scalar)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $columns)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $rows)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batches))))
  ;; the byte offset of input position (b, r, col) from the tensor's start
  (func $tapAt (param $b i32) (param $r i32) (param $col i32) (param $inH i32) (param $inW i32) (param $channelBytes i32)
    (result i32)
    (i32.mul
      (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (local.get $r)) (local.get $inW)) (local.get $col))
      (local.get $channelBytes)))
  ;; dx[tap + channel] += dy[at], unless the window had no winner (tap -1: it lay in the padding)
  (func $route (param $dx i32) (param $tap i32) (param $channel i32) (param $dyAt i32)
    (local $to i32)
    (if (i32.ge_s (local.get $tap) (i32.const 0))
      (then
        (local.set $to (i32.add (i32.add (local.get $dx) (local.get $tap)) (local.get $channel)))
        (f32.store (local.get $to) (f32.add (f32.load (local.get $to)) (f32.load (local.get $dyAt))))))))
