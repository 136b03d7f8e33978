// Acquire loads, release stores and compare-exchange on a 32-bit word, and the CPU's spin-wait
// hint: what Tensors' worker pool (WorkerPool.swift) needs to hand loops to parked threads.
// Header only (compiler builtins, nothing to link).
#include <stdint.h>
#include <stdbool.h>

static inline int32_t seqgen_atomic_load(const int32_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

static inline void seqgen_atomic_store(int32_t *p, int32_t value) { __atomic_store_n(p, value, __ATOMIC_RELEASE); }

/// *p = desired if *p == expected; true when it was.
static inline bool seqgen_atomic_exchange_if(int32_t *p, int32_t expected, int32_t desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/// Tells the CPU that this is a spin-wait loop (x86 `pause`, Arm `yield`).
static inline void seqgen_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}
