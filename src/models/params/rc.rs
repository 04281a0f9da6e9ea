//! Parameters of the relationship-chain model (`relationship_chain`); the
//! rules that use them are documented in [`crate::models::rc`].
//!
//! Each field is declared once as a scenario key (key, range, meaning) in
//! the `Declared` impl at the end of this file; its default is the struct's
//! `Default`. See `docs/CONTRIBUTING.md` to add one.

use crate::population::Role;

/// A pair of values for good and bad experiences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Valenced<T> {
    pub good: T,
    pub bad: T,
}

/// How a role changes talking, persuading and acting (multipliers, >= 0;
/// resulting probabilities are clamped to [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoleEffect {
    /// Multiplier on the share probability of this role's messages.
    pub share: f64,
    /// Multiplier on the action probability of those who hear this role.
    pub persuade: f64,
    /// Multiplier on this role's own action probability.
    pub act: f64,
}

impl RoleEffect {
    /// No effect (all multipliers 1).
    pub const NEUTRAL: RoleEffect = RoleEffect { share: 1.0, persuade: 1.0, act: 1.0 };
}

/// One [`RoleEffect`] per [`Role`] (`model.roles.<role>`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoleTable {
    pub community: RoleEffect,
    pub mild: RoleEffect,
    pub fan: RoleEffect,
    pub detractor: RoleEffect,
    pub ambassador: RoleEffect,
}

impl RoleTable {
    /// Effect of a role.
    #[inline]
    pub fn get(&self, r: Role) -> &RoleEffect {
        match r {
            Role::Community => &self.community,
            Role::Mild => &self.mild,
            Role::Fan => &self.fan,
            Role::Detractor => &self.detractor,
            Role::Ambassador => &self.ambassador,
        }
    }

    /// Every role neutral (used to switch roles off).
    pub fn neutral() -> Self {
        RoleTable {
            community: RoleEffect::NEUTRAL,
            mild: RoleEffect::NEUTRAL,
            fan: RoleEffect::NEUTRAL,
            detractor: RoleEffect::NEUTRAL,
            ambassador: RoleEffect::NEUTRAL,
        }
    }
}

/// Default role effects: community members share half as often as mild
/// friends (lazy sharing), fans share and persuade more and act more
/// readily, detractors are loud and never act, ambassadors share 6× as often
/// as a mild friend and persuade 1.5× better (the R reasoning is in the
/// module docs).
impl Default for RoleTable {
    fn default() -> Self {
        RoleTable {
            community: RoleEffect { share: 0.5, persuade: 1.0, act: 1.0 },
            mild: RoleEffect { share: 1.0, persuade: 1.0, act: 1.0 },
            fan: RoleEffect { share: 1.5, persuade: 1.25, act: 1.5 },
            detractor: RoleEffect { share: 2.0, persuade: 1.0, act: 0.0 },
            ambassador: RoleEffect { share: 6.0, persuade: 1.5, act: 1.0 },
        }
    }
}

/// Trickle-down: how actions turn into friends and friends into ambassadors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trickle {
    /// Probability that a community member who acts becomes a (mild) friend.
    pub conversion: f64,
    /// Per-step probability that an enthusiastic friend (a fan who acted and
    /// had a good experience) is recruited as an ambassador.
    pub recruit_rate: f64,
    /// Most ambassadors recruited during one replicate (0 = no recruitment).
    pub recruit_cap: u32,
}

impl Default for Trickle {
    fn default() -> Self {
        Trickle { conversion: 0.3, recruit_rate: 0.0, recruit_cap: 0 }
    }
}

/// Attention dilution (`dilution.*`): a talker with `f` followers shares
/// with, and persuades, each of them less the larger its audience, by the
/// factor `(max(f, reference) / reference)^(-α)` (1 up to the reference).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dilution {
    /// Elasticity α of the per-listener share probability.
    pub share: f64,
    /// Elasticity α of the persuasion probability of the talker's messages.
    pub persuade: f64,
    /// Follower count `f_ref` up to which nothing is diluted.
    pub reference: f64,
}

impl Default for Dilution {
    fn default() -> Self {
        Dilution { share: 0.0, persuade: 0.0, reference: 100.0 }
    }
}

impl Dilution {
    /// The (share, persuade) factors of a talker with `followers` followers:
    /// exactly 1 when nothing is diluted (α = 0 or `followers <= reference`).
    pub fn factors(&self, followers: u32) -> (f64, f64) {
        let f = f64::from(followers);
        if f <= self.reference {
            return (1.0, 1.0);
        }
        let ratio = f / self.reference;
        let factor = |alpha: f64| if alpha == 0.0 { 1.0 } else { ratio.powf(-alpha) };
        (factor(self.share), factor(self.persuade))
    }
}

/// Parameters of `relationship_chain`.
#[derive(Debug, Clone, PartialEq)]
pub struct RcParams {
    /// Probability that a talker shares with each listener per step, by
    /// valence (see the module docs for why the small defaults are the
    /// realistic ones).
    pub share: Valenced<f64>,
    /// Steps a person keeps talking after hearing or experiencing, by valence.
    pub talk: Valenced<u32>,
    /// Base probability of acting on a good message.
    pub act: f64,
    /// Probability that an experience is good.
    pub quality: f64,
    /// Weight of a bad message relative to a good one in opinions.
    pub negativity_bias: f64,
    /// Multiplier on the action probability of a message from an ambassador
    /// (ambassadors ask their network to act).
    pub ask: f64,
    /// Fraction of bad messages neutralised when they reach someone who follows
    /// an ambassador whose opinion is good (a defender).
    pub defense: f64,
    /// Trickle-down parameters.
    pub trickle: Trickle,
    /// Role effects.
    pub roles: RoleTable,
    /// Weight of news heard *after* the first impression, relative to the
    /// first. 1: every message moves the opinion. 0: first impressions are
    /// final (only an own experience changes an opinion), as in IC-N.
    pub openness: f64,
    /// Attention dilution (off by default).
    pub dilution: Dilution,
}

impl Default for RcParams {
    fn default() -> Self {
        RcParams {
            share: Valenced { good: 0.01, bad: 0.015 },
            talk: Valenced { good: 3, bad: 5 },
            act: 0.1,
            quality: 0.8,
            negativity_bias: 2.0,
            ask: 2.0,
            defense: 0.5,
            trickle: Trickle::default(),
            roles: RoleTable::default(),
            openness: 1.0,
            dilution: Dilution::default(),
        }
    }
}

// ---------------------------------------------------------------- declarations

use crate::param;
use crate::scenario::decl::{Declared, Param};
use crate::scenario::schema::Ty;

/// The `roles.<role>.*` keys of one role.
macro_rules! role_params {
    ($role:ident) => {
        [
            param!(
                concat!("roles.", stringify!($role), ".share"),
                Ty::NON_NEG,
                roles.$role.share,
                "multiplier on this role's share probability"
            ),
            param!(
                concat!("roles.", stringify!($role), ".persuade"),
                Ty::NON_NEG,
                roles.$role.persuade,
                "multiplier on the action probability of those who hear this role"
            ),
            param!(
                concat!("roles.", stringify!($role), ".act"),
                Ty::NON_NEG,
                roles.$role.act,
                "multiplier on this role's own action probability"
            ),
        ]
    };
}

/// The `[model] kind = "relationship_chain"` keys.
impl Declared for RcParams {
    fn params() -> Vec<Param<Self>> {
        const TALK: Ty = Ty::Int { min: 1, max: 100_000 };
        let mut v = vec![
            param!(
                "share.good",
                Ty::Prob,
                share.good,
                "probability a talker shares a good experience with each listener per step"
            )
            .starter("chance to tell each follower per step, good news"),
            param!("share.bad", Ty::Prob, share.bad, "same for a bad experience")
                .starter("bad news is shared more often..."),
            param!("talk.good", TALK, talk.good, "steps someone keeps talking about a good experience")
                .starter("...and for longer (steps of talking)"),
            param!("talk.bad", TALK, talk.bad, "steps someone keeps talking about a bad experience").starter(""),
            param!("act", Ty::Prob, act, "base probability of acting on a good message")
                .starter("chance to act on good news (hearing is not acting)"),
            param!("quality", Ty::Prob, quality, "probability that an experience (after acting) is good")
                .starter("chance an experience is good"),
            param!(
                "negativity_bias",
                Ty::NON_NEG,
                negativity_bias,
                "weight of a bad message relative to a good one in opinions"
            ),
            param!("ask", Ty::NON_NEG, ask, "multiplier on the action probability of a message from an ambassador"),
            param!(
                "openness",
                Ty::Prob,
                openness,
                "weight of news heard after the first impression (0 = first impressions are final)"
            ),
            param!(
                "defense",
                Ty::Prob,
                defense,
                "fraction of bad messages neutralised when they reach a follower of an ambassador whose own opinion is good"
            )
            .starter("ambassadors damp bad news reaching their followers"),
            param!(
                "trickle.conversion",
                Ty::Prob,
                trickle.conversion,
                "probability a community member who acts becomes a (mild) friend"
            ),
            param!(
                "trickle.recruit_rate",
                Ty::Prob,
                trickle.recruit_rate,
                "per-step probability an enthusiastic friend is recruited as ambassador"
            ),
            param!(
                "trickle.recruit_cap",
                Ty::Int { min: 0, max: u32::MAX as i64 },
                trickle.recruit_cap,
                "most ambassadors recruited per replicate (0 = no recruitment)"
            ),
            param!(
                "dilution.share",
                Ty::Num { min: 0.0, min_open: false, max: 5.0 },
                dilution.share,
                "elasticity α of sharing with audience size: a talker with f > reference followers shares with each \
                 at (f / reference)^-α of the rate (0 = off)"
            ),
            param!(
                "dilution.persuade",
                Ty::Num { min: 0.0, min_open: false, max: 5.0 },
                dilution.persuade,
                "elasticity α of persuasion with audience size: a good message from a talker with f > reference \
                 followers persuades at (f / reference)^-α of its chance (0 = off)"
            ),
            param!(
                "dilution.reference",
                Ty::Num { min: 1.0, min_open: false, max: 1e9 },
                dilution.reference,
                "follower count up to which nothing is diluted"
            ),
        ];
        v.extend(role_params!(community));
        v.extend(role_params!(mild));
        v.extend(role_params!(fan));
        v.extend(role_params!(detractor));
        v.extend(role_params!(ambassador));
        v
    }
}
