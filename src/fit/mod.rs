//! Fitting models to observed data: the statistical core of `womsim fit`.
//!
//! * [`bass`] — the aggregate Bass (1969) model on a curve of new adopters per
//!   period: nonlinear least squares (Srinivasan & Mason 1986) and the
//!   original closed-form regression, each with 95% intervals.
//! * [`cascades`] — readers for observed data: cascades on a known network
//!   (CSV `cascade,node,time` and the public `seed u1 t1 u2 t2 …` line
//!   format) and aggregate curves (CSV `step,<metric>…`). Errors name the file
//!   and line and list every problem at once ([`cascades::DataError`]).
//! * [`ic_mle`] — the exact maximum likelihood of a uniform
//!   independent-cascade probability on cascades, with a profile-likelihood
//!   interval, from sufficient statistics computed once.
//! * [`abc`] — approximate Bayesian computation by sequential Monte Carlo
//!   (population Monte Carlo, Beaumont et al. 2009) for any model that can be
//!   simulated: generic in the parameters and the distance.
//! * [`simulate`] — the adapter from a scenario, observed data and θ to the
//!   distance [`abc`] needs (curves and cascades, womsim's models).
//!
//! Every fit returns its estimates as [`Estimate`]s (point, standard error
//! when one is defined, 95% interval). The module is pure: readers take a
//! path and return data or an error, fits take data and return numbers;
//! nothing prints or writes. `docs/FIT_VALIDATION.md` reports how the fits
//! were validated (calibration campaigns, independent solutions, the
//! out-of-sample check on Stack Exchange cascades).

pub mod abc;
pub mod bass;
pub mod cascades;
pub mod ic_mle;
pub mod simulate;

pub use bass::{bass_curve, fit_bass_nls, fit_bass_ols, BassFit, BassMethod};
pub use cascades::{Cascade, Curve, DataError, Event};
pub use ic_mle::{fit_ic_mle, fit_ic_mle_with, IcMleFit, IcMleOptions};

/// A fitted quantity: point estimate, standard error (when the method
/// defines one) and 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub estimate: f64,
    pub se: Option<f64>,
    pub ci95_low: f64,
    pub ci95_high: f64,
}

impl Estimate {
    /// `estimate ± half` with standard error `se`.
    pub fn symmetric(estimate: f64, se: f64, half: f64) -> Estimate {
        Estimate { estimate, se: Some(se), ci95_low: estimate - half, ci95_high: estimate + half }
    }

    /// Whether `x` lies in the closed 95% interval.
    pub fn covers(&self, x: f64) -> bool {
        self.ci95_low <= x && x <= self.ci95_high
    }
}

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// Not enough data points for the method.
    #[error("{method} needs at least {needed} periods of data, got {got}")]
    TooFewPeriods { method: &'static str, needed: usize, got: usize },
    /// A value is negative, NaN or infinite.
    #[error("period {period}: the number of new adopters must be a finite number >= 0, got {value}")]
    BadValue { period: usize, value: f64 },
    /// Every value is zero: nothing to fit.
    #[error("every period has zero new adopters: there is no diffusion to fit")]
    AllZero,
    /// The method's estimates do not exist on these data (the message says why).
    #[error("{0}")]
    NotIdentified(String),
    /// The optimiser did not converge.
    #[error("{0}")]
    NoConvergence(String),
    /// No cascade, or no exposure in any cascade.
    #[error("{0}")]
    NoData(String),
}
