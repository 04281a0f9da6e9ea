//! Epoch-stamped sets: O(1) reset between replicates.

/// Epoch-stamped membership set over node ids: `reset` is O(1) (amortised;
/// the array is cleared only when the 32-bit epoch wraps, every 2³² − 1
/// replicates), membership tests and inserts are O(1).
#[derive(Debug, Clone, Default)]
pub(crate) struct Stamps {
    stamp: Vec<u32>,
    epoch: u32,
}

impl Stamps {
    pub(crate) fn new(n: usize) -> Self {
        Stamps { stamp: vec![0; n], epoch: 0 }
    }

    /// Empty the set and make sure it can hold ids `0..n`.
    pub(crate) fn reset(&mut self, n: usize) {
        if self.stamp.len() < n {
            // New slots are 0, which is never a live epoch after this reset.
            self.stamp.resize(n, 0);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.fill(0);
            self.epoch = 1;
        }
    }

    #[inline]
    pub(crate) fn contains(&self, v: u32) -> bool {
        self.stamp[v as usize] == self.epoch
    }

    /// Insert `v`; true if it was not in the set.
    #[inline]
    pub(crate) fn insert(&mut self, v: u32) -> bool {
        let s = &mut self.stamp[v as usize];
        if *s == self.epoch {
            false
        } else {
            *s = self.epoch;
            true
        }
    }
}
