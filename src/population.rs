//! Who is who: community members, friends (mild / fan / detractor) and
//! ambassadors.
//!
//! The population is drawn once per run from the `population` stream, before
//! seeding, so every strategy and every replicate sees the same friends
//! (strategies pick their ambassadors among them; common random numbers).

use crate::graph::Graph;
use crate::rng::{self, purpose};

/// A node's role. Stored as one byte per node (struct-of-arrays).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Role {
    /// Everyone the organization wants to move who does not follow it.
    Community = 0,
    /// A friend (follower) with mild interest.
    Mild = 1,
    /// A friend who is a fan (enthusiastic).
    Fan = 2,
    /// A friend who is a detractor: talks bad from the start.
    Detractor = 3,
    /// An ambassador: invested in by the organization.
    Ambassador = 4,
}

impl Role {
    /// All roles in table order.
    pub const ALL: [Role; 5] = [Role::Community, Role::Mild, Role::Fan, Role::Detractor, Role::Ambassador];

    /// Stable name used in scenario keys (`model.roles.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Community => "community",
            Role::Mild => "mild",
            Role::Fan => "fan",
            Role::Detractor => "detractor",
            Role::Ambassador => "ambassador",
        }
    }

    /// Whether this role follows the organization (friends include ambassadors).
    #[inline]
    pub fn is_friend(self) -> bool {
        self != Role::Community
    }
}

/// How the population is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationSpec {
    /// Fraction of nodes who are friends (followers), in [0, 1]. Default 0.2.
    pub friends: f64,
    /// Interest mix of friends: fractions of mild, fan, detractor. Each in
    /// [0, 1]; they must sum to 1. Default 0.6 / 0.3 / 0.1.
    pub mild: f64,
    pub fan: f64,
    pub detractor: f64,
    /// `file`: the population read from a file ([`crate::population_file`])
    /// instead of drawn; resolved against the scenario's folder.
    pub file: Option<std::path::PathBuf>,
    /// `nps.promoter` / `nps.passive`: lower edges of the NPS bins.
    pub nps: crate::population_file::NpsBins,
}

impl Default for PopulationSpec {
    fn default() -> Self {
        PopulationSpec {
            friends: 0.2,
            mild: 0.6,
            fan: 0.3,
            detractor: 0.1,
            file: None,
            nps: crate::population_file::NpsBins::default(),
        }
    }
}

/// Roles of every node before seeding (no ambassadors yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    roles: Vec<Role>,
    /// Per-person costs from a population file (`None` for a person: the
    /// strategy's cost model applies); `None` when the file had no costs.
    costs: Option<Vec<Option<f64>>>,
}

impl Population {
    /// Everyone is a community member (classic models have no friends).
    pub fn community(n: usize) -> Self {
        Population { roles: vec![Role::Community; n], costs: None }
    }

    /// Draw roles: each node independently is a friend with probability
    /// `spec.friends`; a friend's interest is drawn from the mix. O(n).
    pub fn draw(g: &Graph, spec: &PopulationSpec, seed: u64) -> Self {
        let mut rng = rng::stream(seed, purpose::POPULATION, &[]);
        let roles = (0..g.len())
            .map(|_| {
                // Two draws per node whatever the outcome, so changing the
                // mix never shifts who is a friend.
                let a = rng::uniform(&mut rng);
                let b = rng::uniform(&mut rng);
                if a >= spec.friends {
                    Role::Community
                } else if b < spec.mild {
                    Role::Mild
                } else if b < spec.mild + spec.fan {
                    Role::Fan
                } else {
                    Role::Detractor
                }
            })
            .collect();
        Population { roles, costs: None }
    }

    /// Build from explicit roles (tests, hand-made populations).
    pub fn from_roles(roles: Vec<Role>) -> Self {
        Population { roles, costs: None }
    }

    /// With per-person costs (one entry per node; see [`Self::cost_override`]).
    pub fn with_costs(mut self, costs: Option<Vec<Option<f64>>>) -> Self {
        self.costs = costs;
        self
    }

    /// The cost of making `u` an ambassador given by the population file,
    /// which replaces the strategy's cost model for `u`.
    #[inline]
    pub fn cost_override(&self, u: u32) -> Option<f64> {
        self.costs.as_ref().and_then(|c| c.get(u as usize).copied().flatten())
    }

    /// Role of node `u`.
    #[inline]
    pub fn role(&self, u: u32) -> Role {
        self.roles[u as usize]
    }

    /// All roles.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// True when there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// Friends (any non-community role), ascending ids.
    pub fn friends(&self) -> impl Iterator<Item = u32> + '_ {
        self.roles.iter().enumerate().filter(|(_, r)| r.is_friend()).map(|(i, _)| i as u32)
    }

    /// Number of friends.
    pub fn num_friends(&self) -> usize {
        self.roles.iter().filter(|r| r.is_friend()).count()
    }
}
