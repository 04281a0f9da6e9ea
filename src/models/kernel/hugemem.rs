//! Zero-initialised arrays of plain records for large random-access state,
//! in memory that, on Linux, asks for transparent huge pages.
//!
//! Why: a model that reads one record per message at random touches, on a
//! graph of a million nodes, thousands of 4 KB pages, more than the TLB
//! covers, so most cache misses also walk the page table. With the kernel's
//! default THP mode ("madvise") only regions that ask get 2 MB pages.

use std::alloc::{self, Layout};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Size of a transparent huge page (x86-64, aarch64 with 4 KB base pages).
const HUGE: usize = 2 << 20;

/// Types whose all-zero bit pattern is a valid value.
///
/// # Safety
/// Implement only for types made of integers and floats (no references,
/// `bool`s, enums or `NonZero*`).
pub(crate) unsafe trait Zeroable: Copy {}

/// `len` zeroed values of `T` (owned, like a `Box<[T]>`). Allocations of
/// 4 MB or more are 2 MB-aligned and advised for huge pages before they are
/// zeroed (the first write decides the page size).
pub(crate) struct ZeroedArray<T: Zeroable> {
    ptr: NonNull<T>,
    len: usize,
    layout: Layout,
}

// SAFETY: owns its allocation exclusively, like `Box<[T]>`.
unsafe impl<T: Zeroable + Send> Send for ZeroedArray<T> {}
// SAFETY: shared access only reads through `&[T]`.
unsafe impl<T: Zeroable + Sync> Sync for ZeroedArray<T> {}

impl<T: Zeroable> ZeroedArray<T> {
    pub(crate) fn new(len: usize) -> Self {
        let bytes = len.checked_mul(std::mem::size_of::<T>()).expect("array size overflows");
        let huge = bytes >= 2 * HUGE;
        let align = if huge { HUGE } else { std::mem::align_of::<T>() };
        // A zero-sized layout cannot be allocated: keep at least one byte.
        let layout = Layout::from_size_align(bytes.max(1), align).expect("valid layout");
        // SAFETY: `layout` has a non-zero size.
        let raw = unsafe { alloc::alloc(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<T>()) else { alloc::handle_alloc_error(layout) };
        #[cfg(target_os = "linux")]
        if huge {
            // SAFETY: advice on whole pages of this allocation (2 MB-aligned
            // start); it changes no contents, and a failure (old kernel,
            // THP disabled) only leaves normal pages.
            unsafe { libc::madvise(raw.cast(), bytes & !(HUGE - 1), libc::MADV_HUGEPAGE) };
        }
        // SAFETY: `bytes` bytes were allocated at `raw`. (Not `alloc_zeroed`:
        // for this alignment it zeroes before the advice could apply.)
        unsafe { raw.write_bytes(0, bytes) };
        ZeroedArray { ptr, len, layout }
    }
}

impl<T: Zeroable> Deref for ZeroedArray<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `len` zero-initialised (hence valid, `T: Zeroable`) values
        // in an allocation this value owns.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Zeroable> DerefMut for ZeroedArray<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Zeroable> Drop for ZeroedArray<T> {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), self.layout) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // SAFETY: an integer.
    unsafe impl Zeroable for u64 {}

    #[test]
    fn zeroed_small_and_large_arrays_read_and_write() {
        for len in [0usize, 1, 1000, (5 << 20) / 8] {
            let mut a = ZeroedArray::<u64>::new(len);
            assert_eq!(a.len(), len);
            assert!(a.iter().all(|&x| x == 0));
            for (i, x) in a.iter_mut().enumerate() {
                *x = i as u64;
            }
            assert!(a.iter().enumerate().all(|(i, &x)| x == i as u64));
        }
    }
}
