//! The relationship-chain word-of-mouth model (`relationship_chain`).
//!
//! # People
//!
//! Every node has a **role**: community member, friend (`mild`, `fan`,
//! `detractor`, drawn by [`Population`]) or **ambassador** (the seeds, plus
//! recruits). A role multiplies three probabilities ([`RoleEffect`], results
//! clamped to [0, 1]): the share probability of the messages it sends, the
//! action probability of those who hear it (`persuade`), and its own action
//! probability (`act`). A node's role can change during a replicate: seeds
//! are ambassadors whatever their population role, converted community
//! members become `mild` friends, recruited fans become ambassadors.
//!
//! Every node also has: *reached* (has heard, or started as a seed or
//! detractor), an **opinion** (a real number; *good* when `>= 0`, *bad* when
//! `< 0`; meaningful once reached), *acted* (at most once per person), and a
//! *talking* state: a talker sends messages during steps `s + 1 ..= s + d`
//! after (re)starting to talk at step `s`, with `d = talk.good` or
//! `talk.bad` by the valence of its opinion at that moment.
//!
//! Let `w = max(negativity_bias, 0.001)` be the weight of one bad message (a
//! bias of 0 still gives bad news a bad sign, with negligible weight).
//!
//! # Step 0 (row 0 of the trajectory)
//!
//! 1. Each seed (in `input.seeds` order) becomes an ambassador, is reached
//!    and has acted, and has its own experience: good iff
//!    `uniform(node_stream(key, EXPERIENCE, u, 0)) < quality`. Its opinion is
//!    `+1` (good) or `-w` (bad) and it starts talking with that valence.
//! 2. Each detractor that is not a seed (ascending id) is reached with
//!    opinion `-w` and starts talking bad. Detractors have not acted.
//!
//! Row 0's `new_*` columns equal these initial counts (so the `new_*`
//! columns always sum to the cumulative ones).
//!
//! # One step `t >= 1` (reads the state at the end of `t - 1`, writes `t`)
//!
//! **(a) Talk.** Every talker `u` sends with the valence of its opinion at
//! the end of `t - 1`, with probability
//! `ps = clamp(share.<valence> × roles[u].share)` per listener: with
//! `r = node_stream(key, SHARE, u, t)`, the listeners `u` sends a message
//! to are located over its listener row (ascending order, reached or not)
//! by the SHARE protocol of IC and IC-N (see `rng::tag::SHARE`): with
//! `w₁, w₂, …` the successive draws `1 - uniform(r)` and `G(w)` the
//! geometric gap for `ps` (`kernel::gaps::Gaps`: `max{g : w <= (1 - ps)^g}`, powers by
//! repeated multiplication), messages go to the listeners at indices
//! `G(w₁)`, `G(w₁) + 1 + G(w₂)`, … that fall in the row — each listener
//! independently with probability `ps`, one draw per row plus one per message.
//! Each sent message counts in `messages_good/bad`. A
//! good message carries the persuasion probability
//! `p = clamp(act × roles[u].persuade × (ask if u is an ambassador) × roles[v].act)`.
//! *Attention dilution* (off by default, see below): when `u`'s audience
//! dilutes it, each listener the SHARE protocol picks gets the message only
//! if a draw of `r_d = node_stream(key, DILUTE, u, t)` is `< d_share(u)`,
//! and a good message so sent can persuade only if a further draw of `r_d`
//! is `< d_persuade(u)` (otherwise it is good news with `p = 0`); draws in
//! listener-row order, none when a factor is 1.
//!
//! **(b) Hear.** Every listener `v` who got at least one message this step,
//! with `G` good and `B` bad messages, in ascending id (hearers are
//! independent of each other within a step, so only the order of new
//! recruitment candidates depends on it):
//!
//! 1. *Coins.* If `v` may act (has not acted and `G > 0`) or defence applies,
//!    `r = node_stream(key, ACT, v, t)`; its first draw is the action coin
//!    `a` (always draw 0, so defence never shifts it).
//! 2. *Defence.* If `defense > 0` and `v` follows a **defender** — an
//!    ambassador (seed or recruit) whose opinion was good at the end of
//!    step `t - 1`, among `graph.sources(v)` — each bad message sent by a
//!    non-ambassador is neutralised by a further draw `uniform(r) < defense`
//!    (ambassadors defend against others' bad news, not against their own bad
//!    experiences, which always get through). The defenders are read from
//!    state `t - 1` like everything else a step reads about others: an
//!    ambassador whose opinion turns bad during step `t` still defends in
//!    step `t` and stops from step `t + 1`; a recruit of step `t` defends
//!    from step `t + 1`; with `quality = 0` no ambassador ever defends. If
//!    nothing is left (`G = B = 0`), the step leaves `v` unchanged.
//! 3. *Opinion.* The step's signal follows **negativity dominance**: `-w·B`
//!    if `B > 0`, else `+G` (good news arriving in the same step as bad news
//!    is drowned out). An unaware `v` becomes reached with opinion = signal
//!    (its first impression) and starts talking. A reached `v` adds
//!    `openness × signal`; if that changes the opinion's sign, `v` restarts
//!    talking with the new valence. Hearing again without a change of sign
//!    does not restart talking (lazy sharing).
//! 4. *Action.* If `v` has not acted, `B = 0` after defence, `G > 0` and its
//!    opinion is good, `v` acts iff `a < 1 - Π(1 - p_i)` over this step's good
//!    messages (each good message is an independent chance to persuade).
//!    `p_i` depends on the message's sender only through its role, and the
//!    product is taken in a fixed order: from `x = 1`, `x *= 1 - p_i` once per
//!    good message, the senders' roles in ascending order (community, mild,
//!    fan, detractor, ambassador), so that its last bit never depends on the
//!    order in which messages happen to be delivered.
//! 5. *Experience.* Whoever acts has its own experience: good iff
//!    `uniform(node_stream(key, EXPERIENCE, v, 0)) < quality` (index 0:
//!    one action per person). The opinion becomes `+1` or `-w` (own
//!    experience replaces hearsay) and `v` restarts talking with that valence.
//! 6. *Trickle-down.* A community member who acts becomes a `mild` friend iff
//!    `uniform(node_stream(key, TRICKLE, v, t)) < trickle.conversion`. A fan
//!    who acts with a good experience becomes a recruitment candidate (kept
//!    in a list, no scan) while fewer than `recruit_cap` have been recruited.
//!
//! **(c) Recruitment.** While fewer than `trickle.recruit_cap` ambassadors
//! have been recruited in this replicate, each candidate who was a candidate
//! at the end of `t - 1` is recruited iff
//! `uniform(node_stream(key, TRICKLE, c, t)) < trickle.recruit_rate`, in
//! list order: by the step at which they became candidates, then by id. A
//! recruit becomes an ambassador (a defender from step `t + 1`) and restarts
//! talking; candidates whose opinion has turned bad are dropped, and so is
//! everyone once the cap is reached. This step's new candidates then join the
//! end of the list, ascending id.
//!
//! **(d) Talkers** whose talking time ends at `t` stop; those who started
//! during the step join. `talkers` in row `t` counts the talkers at the end
//! of step `t`, i.e. those who will send during step `t + 1`.
//!
//! The run stops early (later rows implied, `new_*` and talkers zero) once
//! nobody talks and no recruitment can happen.
//!
//! # Outputs
//!
//! `reached` counts seeds and detractors; `reached_good/bad` split reached
//! nodes by the sign of their *current* opinion (so they always add up to
//! `reached`); `new_reached_good/bad` by their first opinion. `friends` is the
//! population's friends plus seeds who were community members plus
//! converts; `ambassadors` is seeds plus recruits.
//!
//! # Reduction to IC-N
//!
//! With `talk.good = talk.bad = 1`, `share.good = share.bad = p`, `act = 1`,
//! `ask = 1`, neutral roles, an all-community population, `defense = 0`, no
//! trickle-down, `openness = 0` and `quality = q`, the model is IC-N (Chen et
//! al. 2011) draw for draw: a node first reached by good news only acts
//! (`p_i = 1`), takes its positive/negative state from `EXPERIENCE(v, 0)` and
//! talks in the next step only; any bad message makes it negative (dominance);
//! later messages change nothing (openness 0, already acted, talking over).
//!
//! # Attention dilution
//!
//! A talker `u` with `f = followers(u)` shares with each listener at
//! `d_share(u) = (max(f, f_ref) / f_ref)^(-α_share)` of its rate and its good
//! messages persuade at `d_persuade(u) = (max(f, f_ref) / f_ref)^(-α_persuade)`
//! of their chance (`dilution.share`, `dilution.persuade`,
//! `dilution.reference` = `f_ref`; accounts up to `f_ref` followers are
//! undiluted). The thinning draws of step (a) give exactly these laws: a
//! listener hears with probability `ps · d_share`, a good message persuades
//! with `p · d_persuade`. So a talker's expected listeners reached per step
//! grow as `f^(1 − α_share)` instead of `f` (above `f_ref`), and with `α > 0`
//! a mid-sized audience is worth more per follower than a huge one — the
//! only way the model can express the "magic middle" thesis.
//!
//! *Evidence for α.* Engagement (likes + comments per follower per post)
//! falls steadily with follower count: on Instagram 4.8% for 1K–10K
//! followers, 2.4% for 10K–100K, 1.8% for 100K–500K, 1.5% for 500K–1M and
//! 1.2% for 1M+ (HypeAuditor / Statista 2025 tier benchmarks; Later × Fohr's
//! 2021 study of 3.5M posts shows the same fall), i.e. halving over the first
//! tenfold (α ≈ log₁₀ 2 ≈ 0.3) and a factor 4 over a thousandfold (α ≈ 0.2);
//! on TikTok 10.3% → 4.9% over the same tiers (α ≈ 0.1). We read engagement
//! as the share chance: α_share ≈ 0.2–0.3. For persuasion the evidence is
//! indirect (tie strength: Granovetter 1973; Brown & Reingen 1987 on referral
//! behaviour — strong ties are more influential), so a smaller
//! α_persuade ≈ 0.15 is a reasonable default for studies;
//! `scenarios/magic_middle_dilution.toml` uses 0.3 and 0.15 and
//! `magic_middle_dilution_sweep.toml` maps the verdict over 0–0.6.
//!
//! # Parameters (scenario keys under `model.`)
//!
//! | key | meaning | default | range |
//! |---|---|---|---|
//! | `share.good`, `share.bad` | chance per listener per step that a talker shares | 0.01, 0.015 | [0, 1] |
//! | `talk.good`, `talk.bad` | steps of talking after (re)starting | 3, 5 | >= 1 |
//! | `act` | base chance that a good message persuades its listener to act | 0.1 | [0, 1] |
//! | `quality` | chance that an own experience is good | 0.8 | [0, 1] |
//! | `negativity_bias` | weight of a bad message (and bad experience) vs a good one | 2 | >= 0 |
//! | `ask` | persuasion multiplier of messages from ambassadors | 2 | >= 0 |
//! | `defense` | chance that a bad message to a follower of a defender (an ambassador whose opinion is good) is neutralised | 0.5 | [0, 1] |
//! | `openness` | weight of news after the first impression | 1 | [0, 1] |
//! | `trickle.conversion` | chance that a community member who acts becomes a mild friend | 0.3 | [0, 1] |
//! | `trickle.recruit_rate` | per-step chance that a candidate fan is recruited | 0 | [0, 1] |
//! | `trickle.recruit_cap` | most recruits per replicate | 0 | >= 0 |
//! | `roles.<role>.share/persuade/act` | multipliers per role (see [`RoleTable::default`]) | | >= 0 |
//! | `dilution.share`, `dilution.persuade` | elasticities α of sharing / persuasion with audience size | 0, 0 | [0, 5] |
//! | `dilution.reference` | follower count up to which nothing is diluted | 100 | [1, 1e9] |
//!
//! Default role multipliers (`share` / `persuade` / `act`): community
//! 0.5 / 1 / 1, mild 1 / 1 / 1, fan 1.5 / 1.25 / 1.5, detractor 2 / 1 / 0,
//! ambassador 6 / 1.5 / 1.
//!
//! ## Why these defaults (back of the envelope)
//!
//! A talker who shares with probability `p = share.<valence> × roles.share`
//! per listener per step for `d = talk.<valence>` steps tells a given
//! listener at least once with probability `T = 1 - (1 - p)^d`, so with `k`
//! listeners it passes the news to `R = k·T` people on average. News dies
//! out when the average `R` of those who hear it is below 1 and can sweep
//! the network when it is above. The defaults are set so that on typical
//! social networks (mean degree 10–20) ordinary people pass news on lazily:
//!
//! | who, valence | `p` per step | `T` | `R` at k = 10 / 15 / 20 |
//! |---|---|---|---|
//! | community, good | 0.005 | 0.015 | 0.15 / 0.22 / 0.30 |
//! | community, bad | 0.0075 | 0.037 | 0.37 / 0.55 / 0.74 |
//! | mild friend, good / bad | 0.01 / 0.015 | 0.030 / 0.073 | 0.45 / 1.09 at k = 15 |
//! | fan, good / bad | 0.015 / 0.0225 | 0.044 / 0.108 | 0.66 / 1.61 at k = 15 |
//! | detractor, bad | 0.03 | 0.141 | 1.41 / 2.12 / 2.83 |
//! | ambassador, good | 0.06 | 0.169 | 1.69 / 2.54 / 3.39 |
//!
//! So 80% of community members who hear good news tell nobody at k = 15
//! (`(1 - T)^15`), and their good news has `R` ≈ 0.2 (well below 1); bad news
//! is shared 1.5× as often and for 5 steps instead of 3, giving `R` ≈ 0.55 at
//! k = 15 and still below 1 at k = 20. Friends share more, fans more again,
//! detractors are loud, and an ambassador tells 2–3 people per 15 followers.
//! Weighted by the default population (80% community, friends 60% mild /
//! 30% fan / 10% detractor) a random hearer's `R` is ≈ 0.29 for good news
//! and ≈ 0.71 for bad news at k = 15 (0.39 / 0.95 at k = 20): both
//! subcritical, bad news travelling about 2.5× further. Restarts (a good
//! opinion turned bad, an own experience after acting) add talking spells,
//! so the effective `R` is somewhat higher than this table. Measured: on an
//! Erdős–Rényi network of 10,000 people with mean degree 10 / 15 / 20 and
//! the default population, the 200 detractors' bad news reaches about 7% /
//! 13% / 24% of the people in 30 steps.
//!
//! Action: a good message persuades a community member with probability
//! `act` = 0.1; a message from an ambassador who asks with 0.1 × 1.5 × 2 =
//! 0.3 (0.45 to a fan). Bad news blocks action in the step it arrives, and
//! most hearers hear once, so action stays well below reach (typically
//! 5–25% of it).
//!
//! **Hubs change everything.** The `k` that matters is not the mean degree
//! but the number of listeners of someone who has *just heard*:
//! `κ = E[k_in·k_out] / E[k_in]` (undirected: `E[k²]/E[k] - 1`). Heavy
//! tails inflate it: `follower` with 10,000 nodes, `follows = 15`,
//! `reciprocity = 0.2` has mean degree 18 but `κ` ≈ 107, because hubs
//! follow back hundreds of people, so they hear nearly everything and
//! broadcast it to thousands; there even these lazy defaults are far above
//! threshold: with the default population (200 detractors) their bad news
//! alone reaches about 44% of the people. With `reciprocity = 0` (one-way
//! follows: influencers broadcast without hearing their audience) `κ` ≈ 12
//! and the same detractors reach about 3%. `barabasi_albert` with `m = 3`
//! has mean degree 6 but `κ` ≈ 18.
//!
//! # Cost
//!
//! Per step: O(talkers + messages sent + listeners touched + recruitment
//! candidates) (skip sampling: a talker's silent listeners cost nothing),
//! plus an O(in-degree) check of whether a listener of bad news follows a
//! defender (cached: a yes holds until a defender is lost, a no until one is
//! gained), plus sorting each step's new recruitment candidates.
//!
//! # Reference
//!
//! [`reference`](mod@reference) implements these rules plainly (one vector per field,
//! talker by talker, listener by listener); `tests/equivalence.rs` requires
//! identical trajectories from it and from [`simulate`]. Reset between replicates is O(1) (epoch stamps);
//! friend count and detractor list are computed once per population per
//! scratch (O(n)).

use super::kernel::hugemem::{Zeroable, ZeroedArray};
use super::kernel::{prefetch, wi_of, Gaps};
pub use super::params::rc::{Dilution, RcParams, RoleEffect, RoleTable, Trickle, Valenced};
pub mod reference;
use super::ReplicateInput;
use crate::graph::Graph;
use crate::metrics::Trajectory;
use crate::population::{Population, Role};
use crate::rng::{mix64, node_key, node_stream, tag, uniform, NODE_GAMMA};

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

/// Node flags: the low bits of [`Node::sf`], valid only when the node's epoch
/// stamp is current.
mod flag {
    /// Has heard at least once (or is a seed / detractor at step 0).
    pub const REACHED: u32 = 1;
    /// Has acted (at most once per person).
    pub const ACTED: u32 = 2;
    /// Is in the talker list.
    pub const TALKING: u32 = 4;
    /// Ambassador (seed or recruit). Its role field says `Ambassador` too;
    /// the flag alone tells seeds apart from a population that already
    /// contains ambassadors (`Population::from_roles`).
    pub const AMBASSADOR: u32 = 8;
    /// Cached: follows at least one defender; trusted only until the
    /// replicate's first loss of a defender (see [`defended`]).
    pub const DEFENDED: u32 = 16;
    /// Has an inbox entry this step: between its first message of a step
    /// and its hearing in phase (b), which clears the flag again.
    pub const INBOX: u32 = 32;
}

/// Bit position of the 3-bit current role (`Role as u32`) in [`Node::sf`].
const ROLE_SHIFT: u32 = 6;
/// Bit position of the epoch stamp in [`Node::sf`] (the high 23 bits).
const EPOCH_SHIFT: u32 = 9;
/// Largest epoch a stamp can hold; the next replicate resets every stamp.
const MAX_EPOCH: u32 = u32::MAX >> EPOCH_SHIFT;
// The flags sit below the role, the role (5 values) below the epoch.
const _: () = assert!(flag::INBOX < 1 << ROLE_SHIFT && Role::Ambassador as u32 <= 7 && ROLE_SHIFT + 3 == EPOCH_SHIFT);

/// Weight of one bad message in opinions. A bias of exactly 0 is treated as
/// a tiny positive weight so that bad news still has a bad sign.
#[inline]
fn bad_weight(p: &RcParams) -> f32 {
    (p.negativity_bias as f32).max(1e-3)
}

#[inline]
fn clamp01(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

/// Per-population facts computed once and reused by every replicate run with
/// the same [`Scratch`]: the friend count and the detractors (who talk from
/// step 0). Keyed by the address and length of the role slice: a
/// `Population` is immutable, and the runner keeps one population alive for
/// all the replicates that share a scratch, so the key cannot go stale there.
struct PopCache {
    key: (usize, usize),
    friends: u32,
    detractors: Vec<u32>,
}

/// Scratch space of the chain model, reused across replicates (O(1) reset by
/// epoch stamps; no allocation per step once the vectors have grown).
pub struct Scratch {
    n: usize,
    epoch: u32,
    /// The hot per-node state, one 16-byte record per node (four per cache
    /// line): a delivered message, a hearer and a talker each touch a single
    /// line instead of one per field array. The chain model's main cost on
    /// large graphs is these misses, so the record holds only what every
    /// phase needs; a step's message tallies live in `inbox`. On large
    /// graphs the array asks for huge pages ([`ZeroedArray`]), so that these
    /// misses do not also walk the page table.
    nodes: ZeroedArray<Node>,
    /// Defence cache per node: its last answer in the low bit, above it the
    /// clock that would invalidate it (`shrink_clock` for a "yes", which
    /// holds until a defender is lost; `grow_clock` for a "no", which holds
    /// until one is gained; see [`defended`]).
    def_cache: Vec<u64>,
    /// `defender[v] == epoch` iff v is a defender: an ambassador (seed or
    /// recruit) whose opinion was good at the end of the previous step.
    /// Compact (4 bytes per node instead of a 16-byte record per source) for
    /// the defence check, which scans a listener's sources; updated at the
    /// end of each step from `def_changed`.
    defender: Vec<u32>,
    /// Ambassadors whose opinion changed sign, or who were recruited, during
    /// the current step (applied to `defender` at its end).
    def_changed: Vec<u32>,
    /// Bumped whenever the defender set gains a member, and at every
    /// replicate's start (so older cache entries never match).
    grow_clock: u64,
    /// Bumped whenever the defender set loses a member, and at every
    /// replicate's start.
    shrink_clock: u64,
    /// This step's listeners, in order of their first message, with their
    /// message tallies (a node's `slot` indexes it).
    inbox: Vec<Inbox>,
    /// Messages of the current step, in sending order (see phase (a)).
    msgs: Vec<Msg>,
    talkers: Vec<u32>,
    /// The talkers with a message pending (phase (a)).
    rpend: Vec<RcPending>,
    added: Vec<u32>,
    candidates: Vec<u32>,
    /// This step's talkers whose audience dilutes them (handled one by one
    /// after the pass-by-pass loop, which serves everyone else).
    diluted: Vec<u32>,
    pop: Option<PopCache>,
    /// Geometric-gap samplers for the share probability of each
    /// (role, valence) pair, index `2·role + bad` (rebuilt only when a
    /// probability changes, so O(1) per replicate for fixed parameters).
    gaps: Vec<Gaps>,
}

impl Scratch {
    /// Scratch for a graph of `n` nodes. O(n) memory, allocated once.
    pub fn new(n: usize) -> Self {
        Scratch {
            n,
            epoch: 0,
            nodes: ZeroedArray::new(n),
            def_cache: vec![0; n],
            defender: vec![0; n],
            def_changed: Vec::new(),
            grow_clock: 0,
            shrink_clock: 0,
            inbox: Vec::new(),
            msgs: Vec::new(),
            talkers: Vec::new(),
            rpend: Vec::new(),
            added: Vec::new(),
            candidates: Vec::new(),
            diluted: Vec::new(),
            pop: None,
            gaps: vec![Gaps::new(); 2 * ROLES.len()],
        }
    }

    /// Whether `v` has acted by the end of the last replicate simulated
    /// with this scratch.
    pub fn has_acted(&self, v: u32) -> bool {
        let i = v as usize;
        i < self.n && self.nodes[i].sf >> EPOCH_SHIFT == self.epoch && self.nodes[i].has(flag::ACTED)
    }

    /// Whether `v` was reached by the end of the last replicate, and if so
    /// whether its opinion then is bad (`opinion < 0`, as `reached_bad`
    /// counts it). O(1).
    pub fn reached_bad(&self, v: u32) -> Option<bool> {
        let i = v as usize;
        let nd = self.nodes.get(i).filter(|nd| i < self.n && nd.sf >> EPOCH_SHIFT == self.epoch)?;
        nd.has(flag::REACHED).then_some(nd.opinion < 0.0)
    }

    /// Start a replicate: O(1) except when the epoch counter passes
    /// `MAX_EPOCH` (once every 8,388,607 replicates per scratch), which resets
    /// every record in O(n).
    fn begin(&mut self, n: usize) {
        if self.n != n {
            *self = Scratch::new(n);
        }
        self.epoch += 1;
        if self.epoch > MAX_EPOCH {
            self.nodes.fill(Node::default());
            self.defender.fill(0);
            self.epoch = 1;
        }
        self.talkers.clear();
        self.added.clear();
        self.candidates.clear();
        self.inbox.clear();
        self.def_changed.clear();
        self.grow_clock += 1;
        self.shrink_clock += 1;
    }

    /// Prepare the share samplers for `p`'s share probabilities.
    fn prepare_gaps(&mut self, p: &RcParams) {
        for role in ROLES {
            let eff = p.roles.get(role);
            for bad in [false, true] {
                let ps = clamp01(if bad { p.share.bad } else { p.share.good } * eff.share);
                self.gaps[gaps_index(role, bad)].prepare(ps);
            }
        }
    }

    fn pop_facts(&mut self, pop: &Population) -> (u32, usize) {
        let key = (pop.roles().as_ptr() as usize, pop.len());
        if self.pop.as_ref().is_none_or(|c| c.key != key) {
            let mut friends = 0u32;
            let mut detractors = Vec::new();
            for (i, r) in pop.roles().iter().enumerate() {
                friends += u32::from(r.is_friend());
                if *r == Role::Detractor {
                    detractors.push(i as u32);
                }
            }
            self.pop = Some(PopCache { key, friends, detractors });
        }
        let c = self.pop.as_ref().expect("cache just filled");
        (c.friends, c.detractors.len())
    }
}

/// How many messages ahead the apply loop of phase (a) prefetches the
/// listener's record (and population role).
const APPLY_AHEAD: usize = 16;

/// How many hearers ahead phase (b) prefetches a hearer's record.
const HEAR_AHEAD: usize = 8;

/// How many talkers ahead phase (a) prefetches a talker's CSR offsets (and
/// phase (d) its record): two dependent loads away from use, so twice
/// [`TALKER_AHEAD`].
const OFFSETS_AHEAD: usize = 16;

/// How many talkers ahead phase (a) prefetches a talker's own record (its
/// role and opinion decide its sampler): far enough to cover a miss at this
/// loop's few nanoseconds per talker, near enough to stay in L1.
const TALKER_AHEAD: usize = 8;

/// Every role, for the per-(role, valence) share samplers.
const ROLES: [Role; 5] = [Role::Community, Role::Mild, Role::Fan, Role::Detractor, Role::Ambassador];

/// Index of the share sampler of a talker with `role` sending `bad` news.
#[inline]
fn gaps_index(role: Role, bad: bool) -> usize {
    2 * role as usize + usize::from(bad)
}

/// Per-node state in one 16-byte record (a quarter of a cache line), valid
/// only when its epoch stamp is current; [`ensure_node`] makes a stale record
/// current (unaware, population role) on first contact in a replicate.
#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
struct Node {
    /// Epoch stamp (bits 9..32), current role (`Role as u32`, bits 6..9;
    /// ambassador and conversion overrides are written into it) and
    /// [`flag`]s (bits 0..6).
    sf: u32,
    opinion: f32,
    /// Last step during which the node sends messages (set whenever it
    /// starts talking; read only while `TALKING`).
    until: u32,
    /// Index of its entry in this step's inbox (valid only while `INBOX`).
    slot: u32,
}

// SAFETY: integers and a float; all zeros is the stale, empty record.
unsafe impl Zeroable for Node {}

impl Node {
    #[inline]
    fn has(&self, f: u32) -> bool {
        self.sf & f != 0
    }

    #[inline]
    fn set(&mut self, f: u32) {
        self.sf |= f;
    }

    /// Its current role (record current).
    #[inline]
    fn role(&self) -> Role {
        Role::ALL[((self.sf >> ROLE_SHIFT) & 7) as usize]
    }

    #[inline]
    fn set_role(&mut self, r: Role) {
        self.sf = (self.sf & !(7 << ROLE_SHIFT)) | (r as u32) << ROLE_SHIFT;
    }

    /// Whether the record is current with an inbox entry this step.
    #[inline]
    fn in_inbox(&self, epoch: u32) -> bool {
        self.sf & (!0 << EPOCH_SHIFT | flag::INBOX) == (epoch << EPOCH_SHIFT | flag::INBOX)
    }
}

/// A listener of the current step and its message tally (phase (a) adds,
/// phase (b) reads).
#[derive(Clone, Copy)]
struct Inbox {
    v: u32,
    /// Bad messages, and those of them sent by ambassadors (never
    /// neutralised by defence).
    bad: u32,
    bad_amb: u32,
    /// Good messages by the sender's role (`Role as usize`): a good
    /// message's persuasion probability depends on its sender only through
    /// the role, and the model multiplies the Π(1 - p_i) of step (b) 4 in
    /// ascending role order, so counts are all it needs.
    good_from: [u32; ROLES.len()],
    /// Good messages that cannot persuade (attention dilution): news, but
    /// no factor in Π(1 - p_i).
    good_other: u32,
}

/// Flag in [`Msg::gi`]: a good message that cannot persuade (its sender's
/// audience diluted it, step (a)).
const UNPERSUASIVE: u32 = 1 << 16;

/// A talker with a message still to send in phase (a): the listener at CSR
/// index `a`, in a row ending at `end`; `state` is its SHARE stream's counter
/// for the next draw and `gi` its (role, valence) (`gaps_index`).
#[derive(Clone, Copy, Default)]
struct RcPending {
    state: u64,
    a: u32,
    end: u32,
    gi: u32,
}

/// One message sent during phase (a): listener and the sender's (role,
/// valence) (`gaps_index`), 8 bytes.
#[derive(Clone, Copy)]
struct Msg {
    v: u32,
    gi: u32,
}

/// Running totals of one replicate.
#[derive(Default)]
struct Counts {
    reached: u32,
    good: u32,
    bad: u32,
    acted: u32,
    friends: u32,
    ambassadors: u32,
    msg_good: u64,
    msg_bad: u64,
    new_reached: u32,
    new_good: u32,
    new_bad: u32,
    new_acted: u32,
    new_msg_good: u64,
    new_msg_bad: u64,
}

impl Counts {
    fn write(&self, talkers: usize, row: &mut crate::metrics::Row) {
        use crate::metrics::Metric as M;
        row[M::Reached.idx()] = f64::from(self.reached);
        row[M::ReachedGood.idx()] = f64::from(self.good);
        row[M::ReachedBad.idx()] = f64::from(self.bad);
        row[M::Acted.idx()] = f64::from(self.acted);
        row[M::Talkers.idx()] = talkers as f64;
        row[M::Friends.idx()] = f64::from(self.friends);
        row[M::Ambassadors.idx()] = f64::from(self.ambassadors);
        row[M::MessagesGood.idx()] = self.msg_good as f64;
        row[M::MessagesBad.idx()] = self.msg_bad as f64;
        row[M::NetSentiment.idx()] = (f64::from(self.good) - f64::from(self.bad)) / f64::from(self.reached.max(1));
        row[M::NewReached.idx()] = f64::from(self.new_reached);
        row[M::NewReachedGood.idx()] = f64::from(self.new_good);
        row[M::NewReachedBad.idx()] = f64::from(self.new_bad);
        row[M::NewActed.idx()] = f64::from(self.new_acted);
        row[M::NewMessagesGood.idx()] = self.new_msg_good as f64;
        row[M::NewMessagesBad.idx()] = self.new_msg_bad as f64;
    }

    fn clear_new(&mut self) {
        self.new_reached = 0;
        self.new_good = 0;
        self.new_bad = 0;
        self.new_acted = 0;
        self.new_msg_good = 0;
        self.new_msg_bad = 0;
    }

    /// Move one reached node between the good and bad tallies.
    #[inline]
    fn resign(&mut self, was_bad: bool, is_bad: bool) {
        if was_bad != is_bad {
            if is_bad {
                self.good -= 1;
                self.bad += 1;
            } else {
                self.bad -= 1;
                self.good += 1;
            }
        }
    }
}

/// Own experience of `v` (its first and only one, index 0): sets the opinion
/// to `+1` (good) or `-bad_weight` (bad). Returns true when good.
#[inline]
fn experience(p: &RcParams, nd: &mut Node, key: u64, v: u32) -> bool {
    let mut r = node_stream(key, tag::EXPERIENCE, v, 0);
    let good = uniform(&mut r) < p.quality;
    nd.opinion = if good { 1.0 } else { -bad_weight(p) };
    good
}

/// Make node `v`'s record current (unaware, population role, no flags) if
/// stale.
#[inline]
fn ensure_node(nd: &mut Node, epoch: u32, pop: &Population, v: u32) {
    if nd.sf >> EPOCH_SHIFT != epoch {
        nd.sf = epoch << EPOCH_SHIFT | (pop.role(v) as u32) << ROLE_SHIFT;
        nd.opinion = 0.0;
    }
}

/// (Re)start `v` (record `nd`, current) talking with its current opinion's
/// valence from step `t + 1` for `talk.<valence>` steps; a node not yet in
/// the talker list is added to `added`.
#[inline]
fn start_talking(nd: &mut Node, p: &RcParams, added: &mut Vec<u32>, v: u32, t: u32) {
    let d = if nd.opinion < 0.0 { p.talk.bad } else { p.talk.good };
    if d == 0 {
        return;
    }
    nd.until = t.saturating_add(d);
    if !nd.has(flag::TALKING) {
        nd.set(flag::TALKING);
        added.push(v);
    }
}

/// The defence state of one replicate that [`defended`] reads.
struct Defence<'a> {
    defender: &'a [u32],
    cache: &'a mut [u64],
    epoch: u32,
    grow_clock: u64,
    shrink_clock: u64,
    /// Whether a defender was lost in this replicate: from then on the
    /// record's DEFENDED flag may be stale, and only `cache` is trusted.
    shrunk: bool,
}

/// Whether `v` (record `nd`, current) follows a defender (`defender[s] ==
/// epoch` for a source `s`). Amortised O(1): a "yes" holds until a defender
/// is lost (`shrink_clock`), a "no" until one is gained (`grow_clock`);
/// otherwise O(in-degree). Until the first loss in a replicate a "yes" is
/// also cached in the record itself (`flag::DEFENDED`), which the hearer
/// has loaded anyway.
fn defended(nd: &mut Node, d: &mut Defence<'_>, g: &Graph, v: u32) -> bool {
    if !d.shrunk && nd.has(flag::DEFENDED) {
        return true;
    }
    let c = &mut d.cache[v as usize];
    let (was_yes, clock) = (*c & 1 == 1, *c >> 1);
    if clock == if was_yes { d.shrink_clock } else { d.grow_clock } {
        return was_yes;
    }
    // The scan is the defence's hot loop on graphs with hubs (a miss per
    // source): no bounds check, the comparand in a register.
    let (defender, epoch) = (d.defender, d.epoch);
    assert!(defender.len() == g.len());
    // SAFETY: sources are node ids `< g.len() = defender.len()`.
    let yes = g.sources(v).iter().any(|&s| unsafe { *defender.get_unchecked(s as usize) } == epoch);
    if yes {
        nd.set(flag::DEFENDED);
    }
    *c = (if yes { d.shrink_clock } else { d.grow_clock }) << 1 | u64::from(yes);
    yes
}

/// Run one replicate (semantics in the module docs). Writes every row of `out`.
///
/// Cost: O(seeds + detractors) to start (plus one O(n) role scan per
/// population per scratch), then per step O(Σ out-degree of talkers +
/// touched listeners + recruitment candidates), plus amortised O(in-degree)
/// defence checks for listeners of bad news.
pub fn simulate(p: &RcParams, input: &ReplicateInput<'_>, s: &mut Scratch, out: &mut Trajectory) {
    let g = input.graph;
    let pop = input.population;
    let key = input.dynamics_key;
    let n = g.len();
    debug_assert_eq!(pop.len(), n, "population and graph sizes differ");
    s.begin(n);
    s.prepare_gaps(p);
    let (pop_friends, _) = s.pop_facts(pop);
    let wb = bad_weight(p);
    let openness = clamp01(p.openness) as f32;
    let recruit_on = p.trickle.recruit_rate > 0.0 && p.trickle.recruit_cap > 0;
    // Attention dilution touches only talkers above the reference audience.
    let dilution_on = p.dilution.share > 0.0 || p.dilution.persuade > 0.0;
    // `1 - p_i` of a good message, by the listener's role and the sender's
    // (`Role as usize`): p_i = clamp(act × persuade[sender] × (ask if the
    // sender is an ambassador) × act[listener]).
    let not_persuaded_by: [[f64; ROLES.len()]; ROLES.len()] = ROLES.map(|listener| {
        ROLES.map(|sender| {
            let ask = if sender == Role::Ambassador { p.ask } else { 1.0 };
            1.0 - clamp01(p.act * p.roles.get(sender).persuade * ask * p.roles.get(listener).act)
        })
    });

    let mut c = Counts { friends: pop_friends, ..Counts::default() };

    // ---- Step 0: seeds become ambassadors with their own experience. ----
    for &u in input.seeds {
        let i = u as usize;
        let nd = &mut s.nodes[i];
        ensure_node(nd, s.epoch, pop, u);
        if nd.has(flag::AMBASSADOR) {
            continue; // duplicate seed id
        }
        if !pop.role(u).is_friend() {
            c.friends += 1;
        }
        nd.set(flag::AMBASSADOR | flag::REACHED | flag::ACTED);
        nd.set_role(Role::Ambassador);
        c.ambassadors += 1;
        c.reached += 1;
        c.acted += 1;
        if experience(p, nd, key, u) {
            s.defender[i] = s.epoch;
            c.good += 1;
        } else {
            c.bad += 1;
        }
        start_talking(nd, p, &mut s.added, u, 0);
    }
    // ---- Step 0: detractors talk bad from the start. ----
    let dets = std::mem::take(&mut s.pop.as_mut().expect("cache filled").detractors);
    for &u in &dets {
        let nd = &mut s.nodes[u as usize];
        ensure_node(nd, s.epoch, pop, u);
        if nd.has(flag::AMBASSADOR) {
            continue; // a seeded detractor is an ambassador now
        }
        nd.set(flag::REACHED);
        nd.opinion = -wb;
        c.reached += 1;
        c.bad += 1;
        start_talking(nd, p, &mut s.added, u, 0);
    }
    s.pop.as_mut().expect("cache filled").detractors = dets;
    s.talkers.append(&mut s.added);
    c.new_reached = c.reached;
    c.new_good = c.good;
    c.new_bad = c.bad;
    c.new_acted = c.acted;
    c.write(s.talkers.len(), out.row_mut(0));

    let steps = out.steps();
    let mut recruited = 0u32;
    let mut shrunk = false;
    for t in 1..=steps {
        let can_recruit = recruit_on && recruited < p.trickle.recruit_cap && !s.candidates.is_empty();
        if s.talkers.is_empty() && !can_recruit {
            out.quiesce(t - 1);
            return;
        }
        c.clear_new();

        // ---- (a) Talk: every talker sends, reading state t-1 only. ----
        // The SHARE protocol applied across all talkers at once, as in IC
        // (`ic::spread_uniform`, which says why): pass 0 makes every talker's
        // first draw and keeps the talkers with a message, then each pass
        // sends every kept talker's next message and makes its next draw.
        // Each talker consumes exactly its row-by-row draws; only the order
        // of the queued messages differs (by pass, then talker). Messages
        // are queued and applied after (see below), which prefetches the
        // listeners' records a few messages ahead, so the memory system
        // overlaps the record misses. (Prefetching them here as well only
        // adds traffic: on large graphs they leave the cache before use.)
        s.msgs.clear();
        let (off, tg) = g.listener_csr();
        let nt = s.talkers.len();
        if s.rpend.len() < nt {
            s.rpend.resize(nt, RcPending::default());
        }
        let mut live = 0usize;
        s.diluted.clear();
        let Scratch { nodes, msgs, gaps, rpend, talkers, epoch, diluted, .. } = &mut *s;
        let (talkers, epoch, gaps) = (&talkers[..nt], *epoch, &gaps[..]);
        let rpend = &mut rpend[..nt];
        assert!(nodes.len() == n && off.len() == n + 1 && off[n] as usize == tg.len());
        for k in 0..nt {
            // SAFETY: talkers are node ids (`< n = nodes.len()`, and `off`
            // has n + 1 entries); `live <= k < nt` indexes the `nt`-long
            // `rpend`; `gaps_index < gaps.len()` (one sampler per role and
            // valence).
            unsafe {
                // Prefetch a little ahead: the CSR offsets and the talker's
                // own record.
                if let Some(&w) = talkers.get(k + OFFSETS_AHEAD) {
                    prefetch(off.as_ptr().add(w as usize));
                }
                if let Some(&w) = talkers.get(k + TALKER_AHEAD) {
                    prefetch(nodes.as_ptr().add(w as usize));
                }
                let u = *talkers.get_unchecked(k);
                let ui = u as usize;
                let nd = nodes.get_unchecked(ui);
                debug_assert!(nd.sf >> EPOCH_SHIFT == epoch, "talkers are current");
                let gi = gaps_index(nd.role(), nd.opinion < 0.0);
                let (lo, hi) = (*off.get_unchecked(ui), *off.get_unchecked(ui + 1));
                if dilution_on && f64::from(hi - lo) > p.dilution.reference {
                    diluted.push(u);
                    continue;
                }
                let st = node_key(key, tag::SHARE, u, t);
                // `none_within` is also exact for p = 0 (nothing is sent).
                let has = !gaps.get_unchecked(gi).none_within(wi_of(mix64(st)), (hi - lo) as usize);
                *rpend.get_unchecked_mut(live) = RcPending { state: st, a: lo, end: hi, gi: gi as u32 };
                live += usize::from(has);
            }
        }
        for e in &mut rpend[..live] {
            e.a += gaps[e.gi as usize].gap(wi_of(mix64(e.state))) as u32;
            e.state = e.state.wrapping_add(NODE_GAMMA);
            prefetch(tg.as_ptr().wrapping_add(e.a as usize));
        }
        let mut sent_bad = 0u64;
        while live > 0 {
            let rows = live;
            live = 0;
            // A pass sends exactly one message per pending talker.
            msgs.reserve(rows);
            let (base, out) = (msgs.len(), msgs.as_mut_ptr());
            for r in 0..rows {
                // SAFETY: `live <= r < rows <= nt`; a pending talker's next
                // listener is inside its row (`a < end <= tg.len()`) and is
                // a node id `< n`; `gi < gaps.len()`; `msgs` has room for
                // `rows` more messages (`out` stays valid: nothing else
                // touches `msgs` in the loop).
                unsafe {
                    let e = *rpend.get_unchecked(r);
                    let v = *tg.get_unchecked(e.a as usize);
                    out.add(base + r).write(Msg { v, gi: e.gi });
                    // Odd sampler indices are bad news (`gaps_index`).
                    sent_bad += u64::from(e.gi & 1);
                    let gap = gaps.get_unchecked(e.gi as usize).gap(wi_of(mix64(e.state)));
                    let more = gap < u64::from(e.end - 1 - e.a);
                    let a = (u64::from(e.a) + 1 + gap) as u32;
                    *rpend.get_unchecked_mut(live) =
                        RcPending { state: e.state.wrapping_add(NODE_GAMMA), a, end: e.end, gi: e.gi };
                    live += usize::from(more);
                    prefetch(tg.as_ptr().wrapping_add(if more { a } else { e.a } as usize));
                }
            }
            // SAFETY: the loop wrote the `rows` messages after `base`.
            unsafe { msgs.set_len(base + rows) };
        }
        // Diluted talkers, one by one: the same SHARE successes, then the
        // DILUTE coins of step (a) (message order does not matter: a
        // listener's messages are only counted).
        for &u in diluted.iter() {
            let nd = &nodes[u as usize];
            let bad = nd.opinion < 0.0;
            let gi = gaps_index(nd.role(), bad) as u32;
            let row = g.listeners(u);
            let (d_share, d_persuade) = p.dilution.factors(g.followers(u));
            let mut dilute = node_stream(key, tag::DILUTE, u, t);
            let mut r = node_stream(key, tag::SHARE, u, t);
            gaps[gi as usize].for_each_success(&mut r, row.len(), |i| {
                if d_share < 1.0 && uniform(&mut dilute) >= d_share {
                    return;
                }
                let unpersuasive = !bad && d_persuade < 1.0 && uniform(&mut dilute) >= d_persuade;
                msgs.push(Msg { v: row[i], gi: gi | if unpersuasive { UNPERSUASIVE } else { 0 } });
                sent_bad += u64::from(bad);
            });
        }
        c.new_msg_bad += sent_bad;
        c.new_msg_good += msgs.len() as u64 - sent_bad;
        {
            let Scratch { nodes, msgs, inbox, epoch, .. } = &mut *s;
            let epoch = *epoch;
            let roles = pop.roles();
            for (m, &Msg { v, gi }) in msgs.iter().enumerate() {
                // Load the listener's record a few messages ahead, with the
                // population role read when a record is made current.
                if let Some(x) = msgs.get(m + APPLY_AHEAD) {
                    prefetch(nodes.as_ptr().wrapping_add(x.v as usize));
                    prefetch(roles.as_ptr().wrapping_add(x.v as usize));
                }
                // Odd sampler indices are bad news, `gi / 2` is the role.
                let unpersuasive = gi & UNPERSUASIVE != 0;
                let gi = gi & !UNPERSUASIVE;
                let (bad, role) = (gi & 1 == 1, (gi / 2) as usize);
                let nd = &mut nodes[v as usize];
                if !nd.in_inbox(epoch) {
                    // First message of the step: make the record current
                    // and give v an inbox entry.
                    ensure_node(nd, epoch, pop, v);
                    nd.set(flag::INBOX);
                    nd.slot = inbox.len() as u32;
                    inbox.push(Inbox { v, bad: 0, bad_amb: 0, good_from: [0; ROLES.len()], good_other: 0 });
                }
                let e = &mut inbox[nd.slot as usize];
                if bad {
                    e.bad += 1;
                    e.bad_amb += u32::from(role == Role::Ambassador as usize);
                } else if unpersuasive {
                    e.good_other += 1;
                } else {
                    e.good_from[role] += 1;
                }
            }
        }
        c.msg_good += c.new_msg_good;
        c.msg_bad += c.new_msg_bad;

        // ---- (b) Hear: opinions, talking, acting, experience, conversion. ----
        let cand_start = s.candidates.len();
        // Hearers are independent of each other within a step (each reads
        // its own record, its own streams and the defenders of state t-1),
        // so the inbox order (first messages) cannot change an outcome; the
        // one order that shows, the candidates', is fixed after the loop.
        let Scratch {
            nodes,
            defender,
            def_cache,
            def_changed,
            added,
            candidates,
            epoch,
            inbox,
            grow_clock,
            shrink_clock,
            ..
        } = &mut *s;
        let epoch = *epoch;
        let mut defence =
            Defence { defender, cache: def_cache, epoch, grow_clock: *grow_clock, shrink_clock: *shrink_clock, shrunk };
        for (i, e) in inbox.iter().enumerate() {
            // On large graphs a big step's records are no longer in L2 by
            // now: start loading them a few hearers ahead.
            if let Some(w) = inbox.get(i + HEAR_AHEAD) {
                prefetch(nodes.as_ptr().wrapping_add(w.v as usize));
            }
            let &Inbox { v, bad: mut bad_n, bad_amb, good_from, good_other } = e;
            let good_n: u32 = good_from.iter().sum::<u32>() + good_other;
            let nd = &mut nodes[v as usize];
            debug_assert!(nd.in_inbox(epoch), "made current at its first message");
            nd.sf &= !flag::INBOX;
            let f = nd.sf;
            let may_act = f & flag::ACTED == 0 && good_n > 0;
            // Ambassadors defend the organization against others' bad news,
            // not against their own: only bad messages from non-ambassadors
            // can be neutralised.
            let defendable = bad_n - bad_amb;
            let defend = defendable > 0 && p.defense > 0.0 && defended(nd, &mut defence, g, v);
            // Draw 0 of the ACT stream is always the action coin, so defence
            // draws (1, 2, ...) never shift it; without defence the coin is
            // drawn only when it decides something.
            let mut u_act = None;
            if defend {
                let mut r = node_stream(key, tag::ACT, v, t);
                u_act = Some(uniform(&mut r));
                for _ in 0..defendable {
                    if uniform(&mut r) < p.defense {
                        bad_n -= 1;
                    }
                }
            }
            if good_n == 0 && bad_n == 0 {
                continue; // every message was neutralised
            }
            // Negativity dominance inside a step; bias weights bad news.
            let signal = if bad_n > 0 { -wb * bad_n as f32 } else { good_n as f32 };
            if f & flag::REACHED == 0 {
                nd.set(flag::REACHED);
                nd.opinion = signal;
                c.reached += 1;
                c.new_reached += 1;
                if signal < 0.0 {
                    c.bad += 1;
                    c.new_bad += 1;
                } else {
                    c.good += 1;
                    c.new_good += 1;
                }
                start_talking(nd, p, added, v, t);
            } else {
                let was_bad = nd.opinion < 0.0;
                nd.opinion += openness * signal;
                let is_bad = nd.opinion < 0.0;
                if was_bad != is_bad {
                    c.resign(was_bad, is_bad);
                    start_talking(nd, p, added, v, t);
                    if f & flag::AMBASSADOR != 0 {
                        def_changed.push(v);
                    }
                }
            }
            // Action: only on a step of good news (no bad message got
            // through) that leaves the opinion good.
            if may_act && bad_n == 0 && nd.opinion >= 0.0 {
                let u_act = u_act.unwrap_or_else(|| uniform(&mut node_stream(key, tag::ACT, v, t)));
                // Π(1 - p_i) over the good messages, in ascending order of
                // the senders' roles (the model's order: step (b) 4).
                let fail = &not_persuaded_by[nd.role() as usize];
                let mut not_persuaded = 1.0f64;
                for (&f, &count) in fail.iter().zip(&good_from) {
                    for _ in 0..count {
                        not_persuaded *= f;
                    }
                }
                if u_act < 1.0 - not_persuaded {
                    debug_assert!(f & flag::AMBASSADOR == 0, "ambassadors have acted");
                    nd.set(flag::ACTED);
                    c.acted += 1;
                    c.new_acted += 1;
                    let was_bad = nd.opinion < 0.0;
                    let good = experience(p, nd, key, v);
                    c.resign(was_bad, !good);
                    start_talking(nd, p, added, v, t);
                    let role = nd.role();
                    if role == Role::Community && p.trickle.conversion > 0.0 {
                        let mut r = node_stream(key, tag::TRICKLE, v, t);
                        if uniform(&mut r) < p.trickle.conversion {
                            nd.set_role(Role::Mild);
                            c.friends += 1;
                        }
                    } else if role == Role::Fan && good && recruit_on && recruited < p.trickle.recruit_cap {
                        candidates.push(v);
                    }
                }
            }
        }
        inbox.clear();
        // Candidates of one step in ascending id (the model's order).
        candidates[cand_start..].sort_unstable();

        // ---- (c) Recruitment among the candidates of state t-1. ----
        if can_recruit {
            let start_len = cand_start;
            let mut w = 0;
            for k in 0..s.candidates.len() {
                let v = s.candidates[k];
                let keep = if k < start_len {
                    let vi = v as usize;
                    if recruited >= p.trickle.recruit_cap || s.nodes[vi].opinion < 0.0 {
                        false
                    } else {
                        let mut r = node_stream(key, tag::TRICKLE, v, t);
                        if uniform(&mut r) < p.trickle.recruit_rate {
                            let nd = &mut s.nodes[vi];
                            nd.set(flag::AMBASSADOR);
                            nd.set_role(Role::Ambassador);
                            s.def_changed.push(v);
                            recruited += 1;
                            c.ambassadors += 1;
                            start_talking(nd, p, &mut s.added, v, t);
                            false
                        } else {
                            true
                        }
                    }
                } else {
                    recruited < p.trickle.recruit_cap
                };
                if keep {
                    s.candidates[w] = v;
                    w += 1;
                }
            }
            s.candidates.truncate(w);
        }

        // ---- Defenders of state t: ambassadors whose opinion is good. ----
        for &u in &s.def_changed {
            let (now, was) = (s.nodes[u as usize].opinion >= 0.0, s.defender[u as usize] == s.epoch);
            if now && !was {
                s.defender[u as usize] = s.epoch;
                s.grow_clock += 1;
            } else if was && !now {
                s.defender[u as usize] = 0;
                s.shrink_clock += 1;
                shrunk = true;
            }
        }
        s.def_changed.clear();

        // ---- (d) Talkers whose time is up stop; new talkers join. ----
        let mut w = 0;
        for k in 0..s.talkers.len() {
            if let Some(&w) = s.talkers.get(k + OFFSETS_AHEAD) {
                prefetch(s.nodes.as_ptr().wrapping_add(w as usize));
            }
            let u = s.talkers[k];
            let nd = &mut s.nodes[u as usize];
            if nd.until > t {
                s.talkers[w] = u;
                w += 1;
            } else {
                nd.sf &= !flag::TALKING;
            }
        }
        s.talkers.truncate(w);
        s.talkers.append(&mut s.added);

        c.write(s.talkers.len(), out.row_mut(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::generators::{generate, GeneratorSpec};
    use crate::population::PopulationSpec;

    /// Records stamped in an older epoch must read as fresh, also once the
    /// 23-bit stamp wraps (which must reset every record, or records left by
    /// replicates that ran with the same epoch numbers long ago would look
    /// current): a scratch that has run viral replicates, then wraps, gives
    /// the same trajectories as a new scratch per replicate.
    #[test]
    fn reused_and_wrapping_scratch_match_a_fresh_one() {
        let g = generate(&GeneratorSpec::Follower { nodes: 400, follows: 6, reciprocity: 0.2 }, 3).expect("graph");
        let pop = Population::draw(&g, &PopulationSpec::default(), 5);
        let p = RcParams {
            share: Valenced { good: 0.01, bad: 0.015 },
            trickle: Trickle { conversion: 0.5, recruit_rate: 0.5, recruit_cap: 5 },
            ..RcParams::default()
        };
        let viral = RcParams { share: Valenced { good: 0.4, bad: 0.4 }, ..p.clone() };
        let seeds = [0u32, 7, 42];
        let run = |p: &RcParams, s: &mut Scratch, key: u64| {
            let mut out = Trajectory::new(20);
            let input = ReplicateInput { graph: &g, population: &pop, seeds: &seeds, dynamics_key: key };
            simulate(p, &input, s, &mut out);
            out
        };
        let reached = |t: &Trajectory| t.last()[crate::metrics::Metric::Reached.idx()];
        let fresh: Vec<Trajectory> = (0..6).map(|k| run(&p, &mut Scratch::new(g.len()), k)).collect();
        let mut s = Scratch::new(g.len());
        for k in 100..104 {
            // Stamps records with epochs 1..=4, nearly all of them reached.
            assert!(reached(&run(&viral, &mut s, k)) > 300.0);
        }
        let r: Vec<f64> = fresh.iter().map(reached).collect();
        assert!(r.iter().all(|&x| x < 300.0), "the compared replicates reach fewer: {r:?}");
        s.epoch = MAX_EPOCH - 1;
        for (k, want) in fresh.iter().enumerate() {
            assert_eq!(&run(&p, &mut s, k as u64), want, "replicate {k}, epoch {}", s.epoch);
        }
        assert_eq!(s.epoch, 5, "the counter wrapped to 1 after MAX_EPOCH");
    }
}
