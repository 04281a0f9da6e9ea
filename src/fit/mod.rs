//! Fitting models to observed data: the statistical core of `womsim fit`.
//!
//! * [`abc`] — approximate Bayesian computation by sequential Monte Carlo
//!   (population Monte Carlo, Beaumont et al. 2009) for any model that can be
//!   simulated: generic in the parameters and the distance.
//! * [`simulate`] — the adapter from a scenario, observed data and θ to the
//!   distance [`abc`] needs (curves and cascades, womsim's models).

pub mod abc;
pub mod simulate;

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
