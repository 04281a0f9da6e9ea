//! The classic models' running counters and how they become a trajectory row.

use crate::metrics::{Metric, Trajectory};

/// Running counters of a classic model, written as one trajectory row per
/// step. `good`/`bad` split reached nodes by valence (models without valence
/// put everything in `good`); reached = acted = good + bad.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    pub good: u64,
    pub bad: u64,
    pub new_good: u64,
    pub new_bad: u64,
    pub talkers: u64,
    pub msg_good: u64,
    pub msg_bad: u64,
    pub new_msg_good: u64,
    pub new_msg_bad: u64,
    pub ambassadors: u64,
}

impl Tally {
    /// Row 0 of a model whose `seeded` seeds are reached, acted, talk and
    /// count as ambassadors, `bad` of them with a bad valence: writes it,
    /// and with no seed marks the rest of the trajectory implied.
    pub(crate) fn seeded(out: &mut Trajectory, seeded: u64, bad: u64) -> Tally {
        let mut tally = Tally { ambassadors: seeded, talkers: seeded, ..Tally::default() };
        tally.reach(seeded - bad, false);
        tally.reach(bad, true);
        tally.write(out, 0);
        if seeded == 0 {
            out.quiesce(0);
        }
        tally
    }

    /// Start a step: zero the per-step counters.
    #[inline]
    pub(crate) fn begin_step(&mut self) {
        self.new_good = 0;
        self.new_bad = 0;
        self.new_msg_good = 0;
        self.new_msg_bad = 0;
    }

    /// Record `k` newly reached nodes (good or bad).
    #[inline]
    pub(crate) fn reach(&mut self, k: u64, bad: bool) {
        if bad {
            self.bad += k;
            self.new_bad += k;
        } else {
            self.good += k;
            self.new_good += k;
        }
    }

    /// Record `k` messages (successful transmissions).
    #[inline]
    pub(crate) fn messages(&mut self, k: u64, bad: bool) {
        if bad {
            self.msg_bad += k;
            self.new_msg_bad += k;
        } else {
            self.msg_good += k;
            self.new_msg_good += k;
        }
    }

    /// End step `t` of a cascade (IC, LT, the IC reference): record the
    /// step's `messages` and `new` activations (who talk in the next step),
    /// write row `t`, and, when nobody new was activated, mark the rest of
    /// the trajectory implied. Returns true when the cascade is over.
    pub(crate) fn end_cascade_step(&mut self, out: &mut Trajectory, t: u32, messages: u64, new: u64) -> bool {
        self.messages(messages, false);
        self.reach(new, false);
        self.talkers = new;
        self.write(out, t);
        if new == 0 {
            out.quiesce(t);
        }
        new == 0
    }

    /// Write row `t`.
    pub(crate) fn write(&self, out: &mut Trajectory, t: u32) {
        let reached = self.good + self.bad;
        let new = self.new_good + self.new_bad;
        let r = out.row_mut(t);
        r[Metric::Reached.idx()] = reached as f64;
        r[Metric::ReachedGood.idx()] = self.good as f64;
        r[Metric::ReachedBad.idx()] = self.bad as f64;
        r[Metric::Acted.idx()] = reached as f64;
        r[Metric::Talkers.idx()] = self.talkers as f64;
        r[Metric::Friends.idx()] = 0.0;
        r[Metric::Ambassadors.idx()] = self.ambassadors as f64;
        r[Metric::MessagesGood.idx()] = self.msg_good as f64;
        r[Metric::MessagesBad.idx()] = self.msg_bad as f64;
        r[Metric::NetSentiment.idx()] = (self.good as f64 - self.bad as f64) / reached.max(1) as f64;
        r[Metric::NewReached.idx()] = new as f64;
        r[Metric::NewReachedGood.idx()] = self.new_good as f64;
        r[Metric::NewReachedBad.idx()] = self.new_bad as f64;
        r[Metric::NewActed.idx()] = new as f64;
        r[Metric::NewMessagesGood.idx()] = self.new_msg_good as f64;
        r[Metric::NewMessagesBad.idx()] = self.new_msg_bad as f64;
    }
}
