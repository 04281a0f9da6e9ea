//! Per-step outputs of a simulation.
//!
//! A [`Trajectory`] holds one row per step `0..=steps` (row 0 is the state
//! right after seeding, before any message is sent) and one column per
//! [`Metric`]. Cumulative metrics count everything up to and including that
//! step; `new_*` metrics count what happened during that step only.

/// Every metric recorded per step. The order is the column order of
/// `timeseries.csv` and of [`Trajectory`] rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Metric {
    /// Nodes that have heard at least once (seeds included). Cumulative.
    Reached,
    /// Reached nodes whose current opinion is good (>= 0 in the chain model).
    ReachedGood,
    /// Reached nodes whose current opinion is bad.
    ReachedBad,
    /// Nodes that have acted (bought, signed up, showed up). Cumulative.
    Acted,
    /// Nodes talking during this step (will send messages this step).
    Talkers,
    /// Friends of the organization (followers), ambassadors included.
    Friends,
    /// Ambassadors (seeds plus recruits).
    Ambassadors,
    /// Good messages sent so far. Cumulative.
    MessagesGood,
    /// Bad messages sent so far. Cumulative.
    MessagesBad,
    /// (reached_good - reached_bad) / max(reached, 1), in [-1, 1].
    NetSentiment,
    /// Newly reached this step.
    NewReached,
    /// Newly reached this step with a good first opinion.
    NewReachedGood,
    /// Newly reached this step with a bad first opinion.
    NewReachedBad,
    /// Acted for the first time this step.
    NewActed,
    /// Good messages sent this step.
    NewMessagesGood,
    /// Bad messages sent this step.
    NewMessagesBad,
}

/// Number of metrics (columns of a trajectory row).
pub const NUM_METRICS: usize = 16;

impl Metric {
    /// All metrics, in column order.
    pub const ALL: [Metric; NUM_METRICS] = [
        Metric::Reached,
        Metric::ReachedGood,
        Metric::ReachedBad,
        Metric::Acted,
        Metric::Talkers,
        Metric::Friends,
        Metric::Ambassadors,
        Metric::MessagesGood,
        Metric::MessagesBad,
        Metric::NetSentiment,
        Metric::NewReached,
        Metric::NewReachedGood,
        Metric::NewReachedBad,
        Metric::NewActed,
        Metric::NewMessagesGood,
        Metric::NewMessagesBad,
    ];

    /// Stable snake_case name used in every output file.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Reached => "reached",
            Metric::ReachedGood => "reached_good",
            Metric::ReachedBad => "reached_bad",
            Metric::Acted => "acted",
            Metric::Talkers => "talkers",
            Metric::Friends => "friends",
            Metric::Ambassadors => "ambassadors",
            Metric::MessagesGood => "messages_good",
            Metric::MessagesBad => "messages_bad",
            Metric::NetSentiment => "net_sentiment",
            Metric::NewReached => "new_reached",
            Metric::NewReachedGood => "new_reached_good",
            Metric::NewReachedBad => "new_reached_bad",
            Metric::NewActed => "new_acted",
            Metric::NewMessagesGood => "new_messages_good",
            Metric::NewMessagesBad => "new_messages_bad",
        }
    }

    /// Column index.
    #[inline]
    pub fn idx(self) -> usize {
        self as usize
    }
}

/// One row of metric values.
pub type Row = [f64; NUM_METRICS];

/// Metrics that describe one step's activity rather than a running state:
/// once a replicate is quiescent they are 0 in every later row.
pub const TRANSIENT: [Metric; 7] = [
    Metric::Talkers,
    Metric::NewReached,
    Metric::NewReachedGood,
    Metric::NewReachedBad,
    Metric::NewActed,
    Metric::NewMessagesGood,
    Metric::NewMessagesBad,
];

/// The row every step after quiescence repeats: `row` with the
/// [`TRANSIENT`] metrics zeroed.
pub fn tail_of(row: &Row) -> Row {
    let mut r = *row;
    for m in TRANSIENT {
        r[m.idx()] = 0.0;
    }
    r
}

/// One replicate's rows for steps `0..=steps`, stored up to quiescence.
///
/// A model writes rows in step order ([`Trajectory::row_mut`]) and, when
/// nothing can change any more (no talkers, nothing pending: each model
/// defines it), calls [`Trajectory::quiesce`]: the rows after that step are
/// not stored but implied, each equal to [`tail_of`] the last stored row.
/// So memory and the work of every consumer follow what the cascade did,
/// not the `steps` horizon a user set "to be safe".
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// Rows `0..rows.len()`; when shorter than `steps + 1` the rest is the
    /// implied tail.
    rows: Vec<Row>,
    steps: u32,
}

impl Trajectory {
    /// An empty trajectory for a horizon of `steps` steps (`steps + 1` rows
    /// once written). Allocates lazily, as rows are written.
    pub fn new(steps: u32) -> Self {
        Trajectory { rows: Vec::new(), steps }
    }

    /// A trajectory from stored rows (`1..=steps + 1` of them; fewer means
    /// the last one was quiescent). For readers of stored results and tests.
    pub fn from_rows(steps: u32, rows: Vec<Row>) -> Self {
        assert!(!rows.is_empty() && rows.len() <= steps as usize + 1, "1..=steps+1 rows");
        Trajectory { rows, steps }
    }

    /// The horizon: number of steps (rows - 1).
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// Mutable row `t`, to be written by a model. Rows are written in step
    /// order: `t` is at most the number of rows stored so far (a new row
    /// starts as zeros; a trajectory reused across replicates is overwritten
    /// row by row and cut at [`Trajectory::quiesce`] or the horizon).
    pub fn row_mut(&mut self, t: u32) -> &mut Row {
        let t = t as usize;
        assert!(t <= self.steps as usize, "row {t} is beyond the horizon {}", self.steps);
        if t == self.rows.len() {
            self.rows.push([0.0; NUM_METRICS]);
        }
        &mut self.rows[t]
    }

    /// The replicate is quiescent after step `t`: rows `t + 1..=steps` are
    /// [`tail_of`] row `t` and are not stored. O(1).
    pub fn quiesce(&mut self, t: u32) {
        self.rows.truncate(t as usize + 1);
    }

    /// The stored rows (at least row 0 once written).
    pub fn stored(&self) -> &[Row] {
        &self.rows
    }

    /// Whether rows after the stored ones are an implied tail.
    pub fn is_quiescent(&self) -> bool {
        self.rows.len() <= self.steps as usize
    }

    /// Row of step `t` (stored, or the implied tail).
    pub fn row(&self, t: u32) -> Row {
        match self.rows.get(t as usize) {
            Some(r) => *r,
            None => tail_of(self.rows.last().expect("row 0 is written first")),
        }
    }

    /// Value of `m` at step `t`.
    pub fn get(&self, t: u32, m: Metric) -> f64 {
        self.row(t)[m.idx()]
    }

    /// The final row (step `steps`).
    pub fn last(&self) -> Row {
        self.row(self.steps)
    }

    /// Every row `0..=steps`, tail included (O(steps): for tests and small
    /// consumers; aggregation works on [`Trajectory::stored`]).
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        (0..=self.steps).map(|t| self.row(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiescent_tail_is_implied() {
        let mut t = Trajectory::new(5);
        t.row_mut(0)[Metric::Reached.idx()] = 1.0;
        let r = t.row_mut(1);
        r[Metric::Reached.idx()] = 3.0;
        r[Metric::NewReached.idx()] = 2.0;
        t.quiesce(1);
        assert!(t.is_quiescent());
        assert_eq!(t.stored().len(), 2);
        assert_eq!(t.get(1, Metric::NewReached), 2.0);
        assert_eq!(t.get(4, Metric::NewReached), 0.0);
        assert_eq!(t.get(5, Metric::Reached), 3.0);
        assert_eq!(t.rows().count(), 6);
        // Reused: overwritten row by row, then cut at the horizon.
        for s in 0..=5 {
            t.row_mut(s)[Metric::Reached.idx()] = f64::from(s);
        }
        assert!(!t.is_quiescent());
        assert_eq!(t.last()[Metric::Reached.idx()], 5.0);
    }
}
