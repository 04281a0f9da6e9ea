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

/// Rows for steps `0..=steps` of one replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    rows: Vec<Row>,
}

impl Trajectory {
    /// An all-zero trajectory for `steps` steps (`steps + 1` rows).
    pub fn new(steps: u32) -> Self {
        Trajectory { rows: vec![[0.0; NUM_METRICS]; steps as usize + 1] }
    }

    /// Reset to zeros without reallocating.
    pub fn clear(&mut self) {
        for r in &mut self.rows {
            *r = [0.0; NUM_METRICS];
        }
    }

    /// Number of steps (rows - 1).
    pub fn steps(&self) -> u32 {
        (self.rows.len() - 1) as u32
    }

    /// Row of step `t`.
    pub fn row(&self, t: u32) -> &Row {
        &self.rows[t as usize]
    }

    /// Mutable row of step `t`.
    pub fn row_mut(&mut self, t: u32) -> &mut Row {
        &mut self.rows[t as usize]
    }

    /// Value of `m` at step `t`.
    pub fn get(&self, t: u32, m: Metric) -> f64 {
        self.rows[t as usize][m.idx()]
    }

    /// The last row (final state).
    pub fn last(&self) -> &Row {
        self.rows.last().expect("a trajectory has at least one row")
    }

    /// All rows.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Copy row `t` into every later row with the `new_*` and talkers columns
    /// zeroed: the state after the process has died out. O(remaining rows).
    pub fn fill_forward_from(&mut self, t: u32) {
        let mut r = self.rows[t as usize];
        for m in [
            Metric::Talkers,
            Metric::NewReached,
            Metric::NewReachedGood,
            Metric::NewReachedBad,
            Metric::NewActed,
            Metric::NewMessagesGood,
            Metric::NewMessagesBad,
        ] {
            r[m.idx()] = 0.0;
        }
        for row in &mut self.rows[t as usize + 1..] {
            *row = r;
        }
    }
}
