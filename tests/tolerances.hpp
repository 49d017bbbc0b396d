// Every numerical tolerance the tests use, with the reason for its size. Tests include this file
// and never write a bare tolerance literal.
#pragma once

namespace hazard::tol {

/// Closed-form quantities (Kaplan–Meier, Greenwood, log-rank, Nelson–Aalen, RMST) computed by
/// sums in a different order than R: a few ulps per operation over at most ~1e5 terms.
inline constexpr double closed_form = 1e-10;

/// Iterative fits (Cox Newton–Raphson) stopped by a convergence rule: R stops when the relative
/// change of the log-likelihood is < 1e-9, which leaves coefficients accurate to ~1e-9 or better.
inline constexpr double iterative = 1e-8;

/// The distributed Cox fit against cox_fit on the same rows (tests/unit/cox/cox_distributed_test.cpp):
/// the same Newton iterations on the same sums, added in another order (per rank and per event-time
/// segment, then over ranks), so they differ by the rounding of those sums (~1e-16 relative each),
/// grown by the few Newton steps and the inversion of the information. Differences of large sums
/// (the LR statistic, a mean near 0, the score at the estimate) are measured against the size of
/// the sums, p-values on the log scale. Measured worst over R's lung, veteran, colon and 70000-row
/// cases on 1-4 ranks: 1.3e-13 (7.4e-13 for the LR statistic relative to itself).
inline constexpr double distributed = 1e-12;

/// Quantities derived from an iterative fit through further computation (cox.zph, residuals):
/// R's own documentation quotes agreement at this level across versions.
inline constexpr double derived = 1e-6;

/// Fine–Gray against cmprsk::crr (run with gtol = 1e-12): both converge to machine precision,
/// but the pseudo-likelihood's sums run in a different order (running sums here, crr's nested
/// loops), and the sandwich variance multiplies three matrices of such sums.
inline constexpr double crr = 1e-6;

/// Group-sequential boundaries, computed by numerical integration and root finding (rpact's
/// own accuracy is ~1e-8 on z-scale; agreement with it is asked to 1e-6).
inline constexpr double design = 1e-6;

/// The AHR group-sequential design with futility bounds by beta spending or two-sided bounds
/// (hazard design --nph) against the bounds and scale solved in R by nested roots (tol 1e-13) on
/// mvtnorm's Miwa probabilities (make_ahr.R): hazard's recursive integration starts a stage with
/// no lower bound at z = -6, as rpact's, leaving ~1e-9 of probability out; measured 6.8e-9 on z
/// and 4.2e-9 relative on events and sample size (binding designs, whose futility bounds are
/// finite lower limits, agree to 3e-12).
inline constexpr double design_mvn = 2e-8;

/// Absolute, on z: per-trial bounds at observed information fractions (information_bounds) against
/// rpact's getDesignGroupSequential(informationRates =): the same recursive integration on the
/// same grid; rpact solves its roots by bisection to ~1e-8 on z, hazard to 1e-12 (measured worst
/// 1.4e-8, a 3-look Pocock case).
inline constexpr double gs_information = 2e-8;

/// Absolute, on z: the first-look MaxCombo bound, a root of a 4-variate normal probability,
/// against uniroot on mvtnorm's deterministic Miwa algorithm; hazard's probability is a randomized
/// lattice rule (error ~1e-6 of the alpha spent at the test's settings), so the root carries
/// that error divided by the density of the maximum at the bound, small in the tail where
/// O'Brien-Fleming's first bound lies (measured 2.7e-6 at z = 3.33 with 2^17 points a shift; 8e-5 with 2^16).
inline constexpr double gs_maxcombo_first = 1e-5;

/// Absolute, on z: later-look MaxCombo bounds, roots of 8- and 12-variate normal probabilities.
/// No deterministic reference exists (mvtnorm's Miwa is off by 5e-5 in 8 dimensions on these
/// matrices); R uses GenzBretz (4e6 points, error estimate ~1e-6 on the probability, recorded in
/// gs_info.json) and hazard its lattice rule; the difference in z is that error over the density
/// (measured 3.8e-4 with hazard's probabilities to 1e-4 of the alpha spent).
inline constexpr double gs_maxcombo_later = 2e-3;

/// Absolute: rpact floors the last cumulative alpha spent to 1e-8 (.calculateAlphaSpent:
/// floor(x * 1e8) / 1e8), so it reports e.g. 0.02499999 for an exact 0.025.
inline constexpr double design_alpha_floor = 1.5e-8;

/// Absolute, on probabilities: the recursive integration uses rpact's grid (91 points over the
/// previous continuation interval, 7-point Newton–Cotes) so as to agree with rpact; over an
/// interval as wide as [-6, 8] (interims where no stop is possible) its discretisation error is
/// ~1e-6 against closed forms. Boundaries (narrower intervals) are far more accurate.
inline constexpr double design_grid = 5e-6;
/// Inference after a group-sequential stop (stage-wise p-value, median-unbiased estimate, final
/// CI): hazard and rpact integrate on the same grid and solve to 1e-12, but the efficacy bounds
/// of the earlier looks enter the integration and rpact finds them by bisection to 1e-8 on z.
inline constexpr double after_stop = 1e-8;

/// Repeated p-values: rpact bisects the level (to 1e-12 in the reference script) against critical
/// values that it finds by bisection to 1e-8 on z (its design tolerance, not passed through), so
/// its level moves by up to ~1e-7 relative (measured 1.8e-8 over the 21 cases).
inline constexpr double repeated_p = 1e-7;

/// Round trip of Guyot's reconstruction (tests/unit/reconstruct/guyot_test.cpp): 250 patients per
/// arm, clicks with +-0.05 month and +-0.003 survival noise, at-risk table every 6 months.
/// Medians (months) move by the click noise in time plus the spread of censoring inside an
/// interval, which shifts the at-risk denominators by one or two patients, so the KM can cross
/// 0.5 one event later (gaps between events near a 6-12 month median are 0.1-0.8 months).
/// Measured worst over 100 simulated trials (200 medians): 0.80 months.
inline constexpr double reconstruct_median = 1.0;
/// |log(HR rebuilt / HR true)| of the exponential (events / person-time) HR: censoring times are
/// placed evenly within 6-month intervals, which moves person-time by a few percent.
/// Measured worst over 100 simulated trials: 0.0125.
inline constexpr double reconstruct_log_hr = 0.05;
/// Largest |S digitized - KM rebuilt|: the survival noise (0.003) plus rounding of one event in
/// ~20-100 at risk (a late event among 20 at risk moves the curve by 0.05 S).
/// Measured worst over 100 simulated trials: 0.0245.
inline constexpr double reconstruct_curve = 0.03;

/// Absolute, on MaxCombo p-values (issue 24 asks ~1e-6): the multivariate normal probability is an
/// integral, computed by randomized lattice rules in hazard (stopped at an error bound of 1e-7 or
/// 2^17 points, the bound reported) and in R by mvtnorm::pmvnorm (GenzBretz: its own error
/// estimate reaches 1.4e-6 on the singular correlation of the four default statistics) or, for
/// that matrix, by nested integrate() (measured: hazard within 3e-8 of it on 9 cases).
inline constexpr double mvn_p = 1e-6;

/// Monte-Carlo agreement: a simulated probability and rpact's (independent random numbers)
/// differ by a normal deviate with SD sqrt(se1^2 + se2^2); 3 SDs fail by chance with p = 0.0027.
inline constexpr double mc_sigmas = 3.0;

/// Parametric survival fits against survreg (issue 22 asks 1e-6 on estimates, SEs and the
/// log-likelihood; held to the project's 1e-8 for iterative fits). Both maximise the same
/// likelihood by Newton's method; survreg stops on a relative change of the log-likelihood
/// (rel.tolerance = 1e-12 in the reference script), hazard one Newton step past a decrement of 1e-6:
/// measured agreement is better than 1e-9 on every case.
inline constexpr double parametric_survreg = 1e-8;

/// Parametric fits against a log-likelihood written out in R and maximised by optim (BFGS,
/// reltol 1e-14, several starts; Hessian by optimHess, a finite difference of the analytic
/// gradient): issue 22 asks 1e-5 on the maximised log-likelihood and 1e-4 on the estimates. BFGS
/// stops where the gradient is ~1e-6, so its estimates are ~1e-6 off the maximum, and
/// optimHess's differences add ~1e-6 relative to the SEs.
inline constexpr double parametric_optim_loglik = 1e-5;
inline constexpr double parametric_optim_estimate = 1e-4;

/// Analytic derivatives of a family's log f and log S against central differences with
/// Richardson extrapolation (step 1e-4): truncation ~1e-12, rounding ~1e-12 / 1e-4; relative to
/// the size of the derivative (plus 1e-9 absolute for derivatives near 0).
inline constexpr double parametric_derivative = 1e-7;

/// The tabulated generalised-gamma tail against boost::math::gamma_q / gamma_p: the quintic
/// Hermite interpolation (~1e-15) and Gauss–Legendre cells (~1e-16) accumulated over the nodes.
inline constexpr double gengamma_tail = 1e-11;

/// Crossover (RPSFTM): Z(psi) is a step function of psi, so its root is the point where Z jumps
/// across 0. R's uniroot locates that jump to 1e-12 (the reference script's tol), hazard bisects
/// its bracket to 1e-10 and reports the midpoint: the two roots differ by at most ~1e-10, i.e.
/// ~2e-10 relative for |psi| ~ 0.5. Asked at 1e-9 relative.
inline constexpr double crossover_root = 1e-9;

}  // namespace hazard::tol
