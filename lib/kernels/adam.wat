;; Adam's update of one variable in a single pass: it reads the value, the two moments and the
;; gradient once and writes the three new arrays. tfjs's AdamOptimizer spends 13 kernels per
;; variable on this, each a full pass over memory with a buffer of its own.
;;
;; Every operation is float32 and in tfjs's order (AdamOptimizer.applyGradients):
;;   m' = m * beta1 + g * (1 - beta1)
;;   v' = v * beta2 + (g * g) * (1 - beta2)
;;   value' = ((m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + epsilon)) * -lr + value
;; so the result equals tf.train.adam's bit for bit (tests/lib/adam_test.ts).
;;
;; It shares tfjs's wasm memory: the addresses are the tensors' byte offsets in that heap.
;; Assembled into wasm_adam_module.ts by `deno task wasm`.
(module
  (import "env" "memory" (memory 0))
  (func (export "adam")
    (param $value i32) (param $m i32) (param $v i32) (param $grad i32)
    (param $newValue i32) (param $newM i32) (param $newV i32) (param $count i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $oneMinusBeta1Power f32) (param $oneMinusBeta2Power f32) (param $epsilon f32) (param $negLr f32)
    (local $at i32) (local $bytes i32) (local $vectorBytes i32) (local $pairBytes i32)
    (local $g v128) (local $m4 v128) (local $v4 v128) (local $gB v128) (local $mB v128) (local $vB v128)
    (local $g1 f32) (local $m1 f32) (local $v1 f32)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    ;; two vectors at a time (eight lanes) over the whole multiples of 32 bytes, the statements of
    ;; the two alternating: each lane's update is a chain of dependent operations (two divisions and
    ;; a square root), and V8's code waits on each step of one chain; two independent chains side by
    ;; side keep the divider busy. The same arithmetic per lane as below.
    (local.set $pairBytes (i32.and (local.get $bytes) (i32.const -32)))
    (block $pairDone
      (loop $pair
        (br_if $pairDone (i32.ge_u (local.get $at) (local.get $pairBytes)))
        (local.set $g (v128.load (i32.add (local.get $grad) (local.get $at))))
        (local.set $gB (v128.load offset=16 (i32.add (local.get $grad) (local.get $at))))
        (local.set $m4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $beta1)))
            (f32x4.mul (local.get $g) (f32x4.splat (local.get $oneMinusBeta1)))))
        (local.set $mB
          (f32x4.add
            (f32x4.mul (v128.load offset=16 (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $beta1)))
            (f32x4.mul (local.get $gB) (f32x4.splat (local.get $oneMinusBeta1)))))
        (local.set $v4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $beta2)))
            (f32x4.mul (f32x4.mul (local.get $g) (local.get $g)) (f32x4.splat (local.get $oneMinusBeta2)))))
        (local.set $vB
          (f32x4.add
            (f32x4.mul (v128.load offset=16 (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $beta2)))
            (f32x4.mul (f32x4.mul (local.get $gB) (local.get $gB)) (f32x4.splat (local.get $oneMinusBeta2)))))
        (v128.store (i32.add (local.get $newM) (local.get $at)) (local.get $m4))
        (v128.store offset=16 (i32.add (local.get $newM) (local.get $at)) (local.get $mB))
        (v128.store (i32.add (local.get $newV) (local.get $at)) (local.get $v4))
        (v128.store offset=16 (i32.add (local.get $newV) (local.get $at)) (local.get $vB))
        ;; value' = ((m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + epsilon)) * -lr + value
        (local.set $v4 (f32x4.div (local.get $v4) (f32x4.splat (local.get $oneMinusBeta2Power))))
        (local.set $vB (f32x4.div (local.get $vB) (f32x4.splat (local.get $oneMinusBeta2Power))))
        (local.set $m4 (f32x4.div (local.get $m4) (f32x4.splat (local.get $oneMinusBeta1Power))))
        (local.set $mB (f32x4.div (local.get $mB) (f32x4.splat (local.get $oneMinusBeta1Power))))
        (local.set $v4 (f32x4.add (f32x4.sqrt (local.get $v4)) (f32x4.splat (local.get $epsilon))))
        (local.set $vB (f32x4.add (f32x4.sqrt (local.get $vB)) (f32x4.splat (local.get $epsilon))))
        (local.set $m4 (f32x4.mul (f32x4.div (local.get $m4) (local.get $v4)) (f32x4.splat (local.get $negLr))))
        (local.set $mB (f32x4.mul (f32x4.div (local.get $mB) (local.get $vB)) (f32x4.splat (local.get $negLr))))
        (v128.store (i32.add (local.get $newValue) (local.get $at))
          (f32x4.add (local.get $m4) (v128.load (i32.add (local.get $value) (local.get $at)))))
        (v128.store offset=16 (i32.add (local.get $newValue) (local.get $at))
          (f32x4.add (local.get $mB) (v128.load offset=16 (i32.add (local.get $value) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $pair)))
    ;; the last vector, if any
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (block $vectorDone
      (loop $vector
        (br_if $vectorDone (i32.ge_u (local.get $at) (local.get $vectorBytes)))
        (local.set $g (v128.load (i32.add (local.get $grad) (local.get $at))))
        (local.set $m4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $beta1)))
            (f32x4.mul (local.get $g) (f32x4.splat (local.get $oneMinusBeta1)))))
        (local.set $v4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $beta2)))
            (f32x4.mul (f32x4.mul (local.get $g) (local.get $g)) (f32x4.splat (local.get $oneMinusBeta2)))))
        (v128.store (i32.add (local.get $newM) (local.get $at)) (local.get $m4))
        (v128.store (i32.add (local.get $newV) (local.get $at)) (local.get $v4))
        (v128.store (i32.add (local.get $newValue) (local.get $at))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $m4) (f32x4.splat (local.get $oneMinusBeta1Power)))
                (f32x4.add
                  (f32x4.sqrt (f32x4.div (local.get $v4) (f32x4.splat (local.get $oneMinusBeta2Power))))
                  (f32x4.splat (local.get $epsilon))))
              (f32x4.splat (local.get $negLr)))
            (v128.load (i32.add (local.get $value) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vector)))
    ;; the last 0 to 3 elements, one at a time, the same operations
    (block $scalarDone
      (loop $scalar
        (br_if $scalarDone (i32.ge_u (local.get $at) (local.get $bytes)))
        (local.set $g1 (f32.load (i32.add (local.get $grad) (local.get $at))))
        (local.set $m1
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $beta1))
            (f32.mul (local.get $g1) (local.get $oneMinusBeta1))))
        (local.set $v1
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $beta2))
            (f32.mul (f32.mul (local.get $g1) (local.get $g1)) (local.get $oneMinusBeta2))))
        (f32.store (i32.add (local.get $newM) (local.get $at)) (local.get $m1))
        (f32.store (i32.add (local.get $newV) (local.get $at)) (local.get $v1))
        (f32.store (i32.add (local.get $newValue) (local.get $at))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $m1) (local.get $oneMinusBeta1Power))
                (f32.add
                  (f32.sqrt (f32.div (local.get $v1) (local.get $oneMinusBeta2Power)))
                  (local.get $epsilon)))
              (local.get $negLr))
            (f32.load (i32.add (local.get $value) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $scalar)))))
