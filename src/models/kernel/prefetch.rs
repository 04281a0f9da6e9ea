//! Software prefetch: start loading a cache line the loop will need soon.

/// Hint the CPU to start loading the cache line at `p` (no effect on
/// results; a no-op off x86-64).
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: `prefetch` is a hint that never faults and never reads
        // into the program's state, whatever the address; SSE is part of the
        // x86-64 baseline, so the target feature is always present.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
