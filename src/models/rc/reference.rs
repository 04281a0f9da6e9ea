//! The relationship-chain model written to be read: the reference that the
//! fast engine (`rc::simulate`) is tested against, trajectory for trajectory
//! and bit for bit (`tests/equivalence.rs`).
//!
//! Nothing here is about speed: one `Vec` per per-person field, the state of
//! the previous step snapshotted where the rules read it, talkers and
//! listeners visited in ascending id, every metric counted afresh from the
//! state at the end of each step. Each rule is a few lines under the number
//! it has in the module docs (`rc`): step 0 items 1–2, then per step (a) talk,
//! (b) hear 1–6, (c) recruitment, (d) talkers. Randomness comes only from the
//! documented named streams (`rng::node_stream` with tags SHARE, DILUTE,
//! EXPERIENCE, ACT, TRICKLE).

use std::collections::BTreeMap;

use super::RcParams;
use crate::metrics::{Metric as M, Trajectory};
use crate::models::kernel::PlainShare;
use crate::models::ReplicateInput;
use crate::population::Role;
use crate::rng::{node_stream, tag, uniform};

/// Everyone's state, one vector per field, indexed by node id.
struct People {
    role: Vec<Role>,
    /// Seeds and recruits (counted as `ambassadors`; they defend while their
    /// opinion is good). A population role `Ambassador` alone talks and asks
    /// like one, but is neither counted nor a defender.
    ambassador: Vec<bool>,
    reached: Vec<bool>,
    opinion: Vec<f32>,
    acted: Vec<bool>,
    /// Last step during which the person sends messages (0: not yet); a
    /// person talks during step `t` iff `talks_until >= t`.
    talks_until: Vec<u32>,
}

/// What one listener heard during one step.
#[derive(Default)]
struct Heard {
    /// Good messages, by the sender's role (`Role as usize`).
    good_from: [u32; 5],
    bad: u32,
    /// Bad messages sent by ambassadors (by role): never neutralised.
    bad_from_ambassadors: u32,
    /// Good messages that cannot persuade (attention dilution).
    good_unpersuasive: u32,
}

/// This step's `new_*` columns.
#[derive(Default)]
struct News {
    reached: u32,
    good: u32,
    bad: u32,
    acted: u32,
    messages_good: u64,
    messages_bad: u64,
}

/// Run one replicate (rules in the `rc` module docs), writing every row of
/// `out`.
pub fn simulate(p: &RcParams, input: &ReplicateInput<'_>, out: &mut Trajectory) {
    let (g, key) = (input.graph, input.dynamics_key);
    let n = g.len();
    let w = (p.negativity_bias as f32).max(1e-3);
    let openness = clamp01(p.openness) as f32;
    let recruit_on = p.trickle.recruit_rate > 0.0 && p.trickle.recruit_cap > 0;
    let mut people = People {
        role: input.population.roles().to_vec(),
        ambassador: vec![false; n],
        reached: vec![false; n],
        opinion: vec![0.0; n],
        acted: vec![false; n],
        talks_until: vec![0; n],
    };
    // The SHARE protocol of each (role, valence): [role][bad].
    let share = Role::ALL
        .map(|role| [p.share.good, p.share.bad].map(|s| PlainShare::new(clamp01(s * p.roles.get(role).share))));
    let mut news = News::default();
    let mut messages = (0u64, 0u64);

    // Step 0, 1: each seed becomes an ambassador, reached, acted, with its
    // own experience, and talks with its valence.
    for &u in input.seeds {
        let u = u as usize;
        if people.ambassador[u] {
            continue; // a repeated seed id
        }
        people.ambassador[u] = true;
        people.role[u] = Role::Ambassador;
        people.reached[u] = true;
        people.acted[u] = true;
        people.experience(p, w, key, u);
        news.first_impression(people.opinion[u]);
        news.acted += 1;
        people.start_talking(p, u, 0);
    }
    // Step 0, 2: each detractor that is not a seed talks bad.
    for u in 0..n {
        if people.role[u] == Role::Detractor {
            people.reached[u] = true;
            people.opinion[u] = -w;
            news.first_impression(-w);
            people.start_talking(p, u, 0);
        }
    }
    people.write_row(out, 0, &news, messages);

    let mut recruited = 0u32;
    let mut candidates: Vec<usize> = Vec::new();
    for t in 1..=out.steps() {
        let talkers: Vec<usize> = (0..n).filter(|&u| people.talks_until[u] >= t).collect();
        let can_recruit = recruit_on && recruited < p.trickle.recruit_cap && !candidates.is_empty();
        if talkers.is_empty() && !can_recruit {
            out.quiesce(t - 1);
            return;
        }
        news = News::default();
        // Defenders: ambassadors whose opinion is good at the end of t - 1.
        let defenders: Vec<bool> = (0..n).map(|u| people.ambassador[u] && people.opinion[u] >= 0.0).collect();

        // (a) Talk: every talker sends with the valence and role of the end
        // of t - 1, to the listeners the SHARE protocol picks.
        let mut inbox: BTreeMap<usize, Heard> = BTreeMap::new();
        for &u in &talkers {
            let (role, bad) = (people.role[u], people.opinion[u] < 0.0);
            let listeners = g.listeners(u as u32);
            let mut r = node_stream(key, tag::SHARE, u as u32, t);
            // Attention dilution: a large audience thins what is sent and
            // what persuades (factors 1 = no draws).
            let (d_share, d_persuade) = p.dilution.factors(g.followers(u as u32));
            let mut dilute = node_stream(key, tag::DILUTE, u as u32, t);
            for i in share[role as usize][usize::from(bad)].successes(&mut r, listeners.len()) {
                if d_share < 1.0 && uniform(&mut dilute) >= d_share {
                    continue;
                }
                let heard = inbox.entry(listeners[i] as usize).or_default();
                if bad {
                    heard.bad += 1;
                    heard.bad_from_ambassadors += u32::from(role == Role::Ambassador);
                    news.messages_bad += 1;
                } else {
                    if d_persuade < 1.0 && uniform(&mut dilute) >= d_persuade {
                        heard.good_unpersuasive += 1;
                    } else {
                        heard.good_from[role as usize] += 1;
                    }
                    news.messages_good += 1;
                }
            }
        }
        messages = (messages.0 + news.messages_good, messages.1 + news.messages_bad);

        // (b) Hear: every listener with a message, in ascending id.
        let mut new_candidates = Vec::new();
        for (&v, heard) in &inbox {
            let good: u32 = heard.good_from.iter().sum::<u32>() + heard.good_unpersuasive;
            let mut bad = heard.bad;
            let may_act = !people.acted[v] && good > 0;
            // 1. Coins: draw 0 of ACT(v, t) is the action coin.
            let mut r = node_stream(key, tag::ACT, v as u32, t);
            let a = uniform(&mut r);
            // 2. Defence: a follower of a defender may neutralise each bad
            // message sent by a non-ambassador.
            if p.defense > 0.0 && g.sources(v as u32).iter().any(|&s| defenders[s as usize]) {
                for _ in 0..heard.bad - heard.bad_from_ambassadors {
                    if uniform(&mut r) < p.defense {
                        bad -= 1;
                    }
                }
            }
            if good == 0 && bad == 0 {
                continue;
            }
            // 3. Opinion: negativity dominance; a first impression, or
            // openness × signal added, restarting talk on a change of sign.
            let signal = if bad > 0 { -w * bad as f32 } else { good as f32 };
            if !people.reached[v] {
                people.reached[v] = true;
                people.opinion[v] = signal;
                news.first_impression(signal);
                people.start_talking(p, v, t);
            } else {
                let was_bad = people.opinion[v] < 0.0;
                people.opinion[v] += openness * signal;
                if was_bad != (people.opinion[v] < 0.0) {
                    people.start_talking(p, v, t);
                }
            }
            // 4. Action: a < 1 - Π(1 - p_i), the product in ascending order
            // of the senders' roles.
            if !(may_act && bad == 0 && people.opinion[v] >= 0.0) {
                continue;
            }
            let act_v = p.roles.get(people.role[v]).act;
            let mut not_persuaded = 1.0f64;
            for role in Role::ALL {
                let ask = if role == Role::Ambassador { p.ask } else { 1.0 };
                let p_i = clamp01(p.act * p.roles.get(role).persuade * ask * act_v);
                for _ in 0..heard.good_from[role as usize] {
                    not_persuaded *= 1.0 - p_i;
                }
            }
            if a >= 1.0 - not_persuaded {
                continue;
            }
            people.acted[v] = true;
            news.acted += 1;
            // 5. Experience replaces hearsay; talk restarts.
            let good_experience = people.experience(p, w, key, v);
            people.start_talking(p, v, t);
            // 6. Trickle-down: conversion, or a recruitment candidate.
            match people.role[v] {
                Role::Community if uniform(&mut node_stream(key, tag::TRICKLE, v as u32, t)) < p.trickle.conversion => {
                    people.role[v] = Role::Mild;
                }
                Role::Fan if good_experience && recruit_on && recruited < p.trickle.recruit_cap => {
                    new_candidates.push(v);
                }
                _ => {}
            }
        }

        // (c) Recruitment: the candidates of t - 1 in list order (step they
        // became candidates, then id), while the cap allows; then this step's
        // candidates join the list (ascending id) if the cap still allows.
        let mut still = Vec::new();
        for &c in &candidates {
            if recruited >= p.trickle.recruit_cap || people.opinion[c] < 0.0 {
                continue;
            }
            if uniform(&mut node_stream(key, tag::TRICKLE, c as u32, t)) < p.trickle.recruit_rate {
                people.ambassador[c] = true;
                people.role[c] = Role::Ambassador;
                recruited += 1;
                people.start_talking(p, c, t);
            } else {
                still.push(c);
            }
        }
        still.extend(new_candidates.into_iter().filter(|_| recruited < p.trickle.recruit_cap));
        candidates = still;

        // (d) Talkers: implied by `talks_until` (counted in the row).
        people.write_row(out, t, &news, messages);
    }
}

impl People {
    /// (Re)start talking at step `t` with the current opinion's valence.
    fn start_talking(&mut self, p: &RcParams, u: usize, t: u32) {
        let d = if self.opinion[u] < 0.0 { p.talk.bad } else { p.talk.good };
        if d > 0 {
            self.talks_until[u] = t.saturating_add(d);
        }
    }

    /// Own experience (index 0: one per person): opinion `+1` or `-w`.
    /// Returns whether it was good.
    fn experience(&mut self, p: &RcParams, w: f32, key: u64, u: usize) -> bool {
        let good = uniform(&mut node_stream(key, tag::EXPERIENCE, u as u32, 0)) < p.quality;
        self.opinion[u] = if good { 1.0 } else { -w };
        good
    }

    /// Row `t`: cumulative columns counted from the state, `new_*` from
    /// `news`, messages from the running totals `(good, bad)`.
    fn write_row(&self, out: &mut Trajectory, t: u32, news: &News, messages: (u64, u64)) {
        let n = self.role.len();
        let count = |f: &dyn Fn(usize) -> bool| (0..n).filter(|&u| f(u)).count() as f64;
        let reached = count(&|u| self.reached[u]);
        let good = count(&|u| self.reached[u] && self.opinion[u] >= 0.0);
        let bad = count(&|u| self.reached[u] && self.opinion[u] < 0.0);
        let row = out.row_mut(t);
        row[M::Reached.idx()] = reached;
        row[M::ReachedGood.idx()] = good;
        row[M::ReachedBad.idx()] = bad;
        row[M::Acted.idx()] = count(&|u| self.acted[u]);
        row[M::Talkers.idx()] = count(&|u| self.talks_until[u] > t);
        row[M::Friends.idx()] = count(&|u| self.role[u].is_friend());
        row[M::Ambassadors.idx()] = count(&|u| self.ambassador[u]);
        row[M::MessagesGood.idx()] = messages.0 as f64;
        row[M::MessagesBad.idx()] = messages.1 as f64;
        row[M::NetSentiment.idx()] = (good - bad) / reached.max(1.0);
        row[M::NewReached.idx()] = f64::from(news.reached);
        row[M::NewReachedGood.idx()] = f64::from(news.good);
        row[M::NewReachedBad.idx()] = f64::from(news.bad);
        row[M::NewActed.idx()] = f64::from(news.acted);
        row[M::NewMessagesGood.idx()] = news.messages_good as f64;
        row[M::NewMessagesBad.idx()] = news.messages_bad as f64;
    }
}

impl News {
    /// Someone reached for the first time, with this first opinion.
    fn first_impression(&mut self, opinion: f32) {
        self.reached += 1;
        if opinion < 0.0 {
            self.bad += 1;
        } else {
            self.good += 1;
        }
    }
}

fn clamp01(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}
