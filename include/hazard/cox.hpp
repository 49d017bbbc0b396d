// Cox proportional hazards regression, as R survival's coxph() (coxfit6 / agfit4 / coxexact)
// and SAS PROC PHREG.
//
// Model: hazard_i(t) = h_s(t) exp(x_i' beta + offset_i) for a subject in stratum s. beta maximises
// the partial likelihood (Efron or Breslow approximation for tied event times, or the exact
// conditional-logistic likelihood = SAS TIES=DISCRETE) by Newton–Raphson exactly as R:
// covariates centred (and scaled) first, convergence when |1 - loglik_old/loglik_new| <= eps,
// step-halving when the log-likelihood falls or is not finite, at most max_iter iterations.
// Right-censored data use coxfit6's backward pass over time; (start, stop] data use agfit4's
// two-index add/remove scheme, or agexact's risk set by risk set for exact ties. Cost: one sort
// per fit, O((n + d) p^2) per iteration (exact: O(n m p^2), m = largest number of tied events;
// exact with (start, stop]: O(sum over event times of |risk set| m p^2)). Memory O(n p).
//
// Example:
//   hazard::CoxData d{.time = t, .status = s, .x = X, .names = {"age", "sex[2]"}};
//   hazard::CoxResult r = hazard::cox_fit(d, {.ties = hazard::Ties::efron});
//   double hr = r.terms[0].hr;
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

/// How tied event times enter the partial likelihood.
enum class Ties {
  efron,    ///< Efron's approximation (R's default)
  breslow,  ///< Breslow's approximation (SAS's default)
  exact,    ///< exact conditional (discrete) likelihood: R ties="exact", SAS TIES=DISCRETE
};

/// Whose conventions to follow where R and SAS differ.
enum class Compat {
  r,    ///< convergence on the relative change of the log partial likelihood (eps, 1e-9)
  sas,  ///< PHREG's GCONV: u' I^-1 u / |loglik| < gconv (1e-8)
};

/// One covariate column of the model and, for a categorical column, its reference level.
struct DesignSpec {
  std::string column;
  std::string ref;  ///< reference level of a categorical column; "" = first in sorted order (as R)
  bool factor = false;  ///< treat a numeric column as categorical (levels in numeric order), as the --group arm
  LevelLimit level_limit{};  ///< most levels of a categorical column (--max-levels; survdata.hpp)
};

/// The terms of a model formula, as R's terms(): variables in order of first appearance, and the
/// terms, each a product of variables (indices into `variables`, ascending), ordered by degree
/// (main effects first) and then by first appearance. No intercept (coxph drops it).
struct ModelTerms {
  std::vector<DesignSpec> variables;
  std::vector<std::vector<std::size_t>> terms;
};

/// Parses --covariates items with R's formula meaning: "a" a main effect, "a:b" the interaction
/// alone, "a*b" = a + b + a:b, "a*b*c" every product, "a*b:c" = a + b:c + a:b:c. `lead` (e.g. the
/// --group arm) is the first variable and term. Repeated terms count once. Throws UsageError for
/// an empty name ("a*", "a::b").
/// Example: parse_model_terms({"AGE*SEX", "TRT:COHORT"}) has variables AGE, SEX, TRT, COHORT
/// and terms AGE, SEX, AGE:SEX, TRT:COHORT.
ModelTerms parse_model_terms(const std::vector<std::string>& items, const std::string& lead = "");

/// The design matrix of a Cox model (no intercept), as R's model.matrix with treatment contrasts:
///   * a numeric variable is one column named after it;
///   * a categorical variable (or a numeric one marked `factor`, such as the trial arm) gives one
///     0/1 column per non-reference level, named "COL[LEVEL]" — or one per level (indicator
///     coding) in an interaction whose margin without it is not in the model, as R;
///   * an interaction term's columns are the products of its variables' columns, the first
///     variable varying fastest, named "a[L]:b" as R names "aL:b".
struct Design {
  Eigen::MatrixXd x;                     ///< rows x columns
  std::vector<std::string> names;        ///< per model column
  std::vector<std::size_t> term;         ///< per model column: index of its term
  std::vector<std::string> term_names;   ///< per term: "a", "a:b"
  /// per variable: its column, and for a categorical one its levels (reference first)
  struct Variable {
    std::string column;
    bool numeric = true;
    std::vector<std::string> levels;
  };
  std::vector<Variable> variables;
  /// per model column: the (variable, level index) pairs it multiplies; level -1 = the numeric
  /// value, else the indicator of variables[variable].levels[level]
  std::vector<std::vector<std::pair<std::size_t, int>>> parts;
};

/// Builds the design matrix for the table rows `rows` (e.g. SurvData::row). Levels of a
/// categorical column are those present in `rows`, sorted; throws DataError for a missing value
/// or an unknown reference level, UsageError for an unknown column.
Design build_design(const Table& table, std::span<const std::size_t> rows, const ModelTerms& model);
/// Main effects only: one term per spec.
Design build_design(const Table& table, std::span<const std::size_t> rows,
                    const std::vector<DesignSpec>& specs);
/// The same for SurvData::row.
Design build_design(const Table& table, const IndexSequence& rows, const ModelTerms& model);
Design build_design(const Table& table, const IndexSequence& rows, const std::vector<DesignSpec>& specs);
/// build_design for a caller that needs no more of the table's values: each column is freed once
/// the design has read it (one the design does not read and a categorical one once the variables
/// are coded, a numeric one once its last model column is written; the column keeps its name and
/// kind, with no values), so that the table shrinks as the design matrix grows. The same matrix
/// as build_design.
Design build_design_releasing(Table& table, const IndexSequence& rows, const ModelTerms& model);

/// The input of a Cox fit: one entry per row, in any order (the fit sorts).
struct CoxData {
  std::vector<double> time{};            ///< event/censoring time (stop time with `start`)
  std::vector<double> start{};           ///< entry time for (start, stop] rows; empty = right-censored
  std::vector<std::uint8_t> status{};    ///< 1 = event, 0 = censored
  std::vector<double> weight{};          ///< case weights (> 0); empty = all 1
  std::vector<double> offset{};          ///< offset of the linear predictor; empty = 0
  std::vector<std::int32_t> stratum{};   ///< stratum codes; empty = one stratum
  std::vector<std::int32_t> cluster{};   ///< cluster codes for the robust variance; empty = none
  Eigen::MatrixXd x{};                   ///< rows x p design matrix
  std::vector<std::string> names{};      ///< p term names
};

struct CoxOptions {
  Ties ties = Ties::efron;
  int max_iter = 20;                   ///< R's iter.max
  double eps = 1e-9;                   ///< R's eps: relative change of the log-likelihood
  double toler_chol = 1.8189894035458617e-12;  ///< R's toler.chol = .Machine$double.eps^0.75
  double toler_inf = 0;                ///< R's toler.inf; 0 = sqrt(eps) as R
  double gconv = 1e-8;                 ///< SAS's GCONV, used with Compat::sas
  bool robust = false;                 ///< sandwich variance (also on with a cluster or non-integer weights, as R)
  double conf_level = 0.95;
  Compat compat = Compat::r;
};

struct CoxTest {
  double stat = 0;
  double df = 0;
  double p = 1;
};

/// One row of the coefficient table (summary.coxph). With a robust variance z, p and the CI use
/// the robust SE, as R. A term that is not estimable has NaN everywhere but `term` (printed NE,
/// JSON null): an aliased column (singular information, R's NA), or a coefficient that runs to
/// infinity (monotone likelihood: R warns "Loglik converged before variable k; coefficient may be
/// infinite", or the fit ran out of iterations with that coefficient still moving). R prints the
/// last iterate for the latter, with an SE that means nothing (and a robust SE that can give
/// p < 2e-16); hazard gives no estimate, SE or p for it. CoxResult::coef keeps the last iterate.
struct CoxTerm {
  std::string term;
  double coef = 0, se = 0, robust_se = 0, z = 0, p = 0, hr = 0, lower = 0, upper = 0;
  bool estimable = true;
  std::string not_estimable{};  ///< why not: "aliased" or "infinite" ("" when estimable)
};

/// Harrell's concordance as R's concordance() for a coxph fit (counts use case weights).
struct CoxConcordance {
  double concordant = 0, discordant = 0, tied_x = 0, tied_y = 0, tied_xy = 0;
  double estimate = 0;
  double std_err = 0;  ///< infinitesimal-jackknife SE (collapsed by cluster when there is one)
};

struct CoxResult {
  std::size_t n = 0;                   ///< rows used
  double events = 0;                   ///< number of events (unweighted, as R's nevent)
  Ties ties = Ties::efron;
  Compat compat = Compat::r;
  int iterations = 0;
  bool converged = false;              ///< Newton's rule was met (R's iter < iter.max)
  /// Some coefficient runs to infinity (its term is not estimable; see CoxTerm): the fit did not
  /// converge to finite estimates, whatever `converged` says.
  bool diverged = false;
  int rank = 0;                        ///< rank of the information matrix
  double loglik0 = 0, loglik = 0;      ///< at the initial value (0) and at the estimate

  Eigen::VectorXd coef;                ///< NaN for aliased columns
  Eigen::MatrixXd var;                 ///< model-based variance (R's naive.var when robust)
  Eigen::MatrixXd robust_var;          ///< sandwich variance; empty unless robust
  Eigen::VectorXd score_vector;        ///< score u at the estimate
  Eigen::VectorXd means;               ///< column means used for centring (R's fit$means)
  std::vector<double> linear_predictor;  ///< per input row: x'beta + offset - means'beta (as R)
  bool robust = false;

  std::vector<CoxTerm> terms;
  CoxTest lr, score;
  CoxTest wald;                        ///< NaN when a coefficient diverged (it would test the last iterate)
  std::optional<CoxTest> robust_score;
  CoxConcordance concordance;
  std::vector<std::string> warnings;   ///< R's warnings, reworded with covariate names
};

/// Fits the model. Throws UsageError for inconsistent input (lengths, exact ties with weights,
/// exact ties with a robust variance for right-censored data, robust (start, stop] data without
/// clusters), DataError-free:
/// data checks belong to the data layer. NumericalError when there are no events or the
/// likelihood overflows at the start.
CoxResult cox_fit(const CoxData& data, const CoxOptions& options = {});

/// cox_fit for a caller that needs no more of `data`: it is empty on return, and its arrays are
/// freed during the fit as soon as the fit's own (kernel-order) copies are made. For
/// right-censored data without a robust variance the design matrix itself is consumed (put into
/// kernel order in place, and given back while the centred copy the fit reads is written), so
/// that the peak memory holds one copy of the covariates instead of two. Every estimate and test
/// is cox_fit's to the bit; the linear predictor is then computed from the centred copy,
/// offset + (x - means)' beta instead of offset + x' beta - means' beta (equal up to rounding),
/// and the concordance is that of this linear predictor.
CoxResult cox_fit_releasing(CoxData& data, const CoxOptions& options = {});

class Cluster;  // hazard/cluster.hpp

/// cox_fit of the rows of every rank of `cluster` together, each rank passing its own rows
/// (docs/methods/cox.md, "The distributed fit"). Collective: every rank calls it, with the same
/// options and columns (names, p; a rank without rows passes a 0 x p matrix); stratum codes mean
/// the same on every rank; weights and
/// offsets may be given on some ranks only (the others' rows weigh 1, offset 0). Rows never move:
/// one Cluster::sum of the per-event-time risk-set sums per Newton step. Every rank returns the
/// whole fit (n, events, coef, var, tests, terms, concordance of all rows), except
/// linear_predictor, which is for its own rows (in its input order). Equal to cox_fit on the
/// concatenation of all ranks' rows up to the order of summation.
/// Right-censored data, Efron or Breslow ties; a robust variance without cluster codes. Throws,
/// on every rank alike, UsageError for (start, stop] rows, exact ties or cluster codes (and what
/// cox_fit refuses), NumericalError as cox_fit.
CoxResult cox_fit_distributed(const CoxData& local, const CoxOptions& options, const Cluster& cluster);

/// The joint test of one term, all its model columns at once (the Type 3 tests of SAS PHREG and
/// car::Anova(type = 3)): for a categorical covariate with k levels a test on k - 1 df, for an
/// interaction one on all its columns.
struct CoxTermTest {
  std::string term;
  CoxTest wald;  ///< b' V^-1 b over the term's estimable columns (V the robust variance when the
                 ///< fit is robust); NaN when one of them runs to infinity
  CoxTest lr;    ///< 2 (loglik - loglik of the model refitted without the term's columns), df the
                 ///< number of estimable columns that go
};

/// One joint test per term of a fit: `term` gives each model column's term index into
/// `term_names` (Design::term, Design::term_names); `only` lists the term indices to test (empty:
/// every term). The LR test refits the model without each term's columns, with the same data
/// and options (a term that is the whole model is compared with beta = 0).
std::vector<CoxTermTest> cox_term_tests(const CoxData& data, const CoxResult& fit,
                                        const std::vector<std::size_t>& term,
                                        const std::vector<std::string>& term_names,
                                        const CoxOptions& options = {},
                                        const std::vector<std::size_t>& only = {},
                                        const Cluster* cluster = nullptr);

/// "efron", "breslow", "exact"
std::string to_string(Ties ties);

/// Numbers at risk and events in the two arms at one distinct event time (unweighted counts).
/// A stratified analysis concatenates the tallies of its strata (the order does not matter).
struct TwoArmTally {
  double at_risk0 = 0, at_risk1 = 0;  ///< control, experimental
  double events0 = 0, events1 = 0;
};

/// A Cox model whose only covariate is the arm (1 = experimental).
struct TwoArmCox {
  double coef = 0;  ///< log hazard ratio, experimental vs control
  double se = 0;    ///< model-based SE (inverse information at coef)
  double loglik0 = 0, loglik = 0;
  int iterations = 0;
  bool converged = false;              ///< Newton's rule was met (R's iter < iter.max)
  /// Some coefficient runs to infinity (its term is not estimable; see CoxTerm): the fit did not
  /// converge to finite estimates, whatever `converged` says.
  bool diverged = false;
};

/// coxph(Surv(time, status) ~ arm + strata(s)) from the tallies at each event time: with a 0/1
/// covariate the partial likelihood depends on the data only through them, so a fit costs
/// O(event times) per Newton step (used by the trial simulator at every interim look). Efron or
/// Breslow ties (exact: UsageError); Newton-Raphson from 0 with R's convergence rule, step
/// halving and iteration limit (options.max_iter, options.eps).
TwoArmCox cox_two_arm(std::span<const TwoArmTally> tallies, const CoxOptions& options = {});

/// The tallies of right-censored two-arm data: arm 0/1 per row, optional stratum codes (empty =
/// one stratum). Rows in any order.
std::vector<TwoArmTally> two_arm_tallies(std::span<const double> time,
                                         std::span<const std::uint8_t> status,
                                         std::span<const std::int32_t> arm,
                                         std::span<const std::int32_t> stratum = {});

/// The time transform g(t) of the proportional-hazards test.
enum class ZphTransform {
  km,        ///< 1 - KM(t-), the pooled unweighted Kaplan–Meier (R's default)
  identity,  ///< t
  rank,      ///< rank of t among all rows (ties averaged)
  log,       ///< log t
};

struct PhTestTerm {
  std::string term;
  double chisq = 0, df = 0, p = 1;
};

/// Grambsch–Therneau test of proportional hazards, as R survival 3.x's cox.zph().
struct PhTest {
  ZphTransform transform = ZphTransform::km;
  std::vector<PhTestTerm> terms;  ///< one per term (a categorical covariate is one term, df = levels - 1)
  PhTestTerm global;              ///< "GLOBAL"
};

/// The score test, at the fitted beta, of adding x * g(t) for each term (zph1.c / zph2.c): the
/// score for gamma and the 2p x 2p information of (beta, gamma) from one pass over the risk
/// sets; per term u' I^-1 u over (all beta, that term's gammas). `term` gives each model column's
/// term index into `term_names` (empty: one term per column, named as the columns).
/// Aliased (NA) columns are dropped, as R. Efron sums for Efron fits, Breslow otherwise.
PhTest cox_zph(const CoxData& data, const CoxResult& fit, ZphTransform transform,
               const std::vector<std::size_t>& term = {}, const std::vector<std::string>& term_names = {});

/// "km", "identity", "rank", "log"
std::string to_string(ZphTransform transform);

enum class ResidualType { martingale, deviance, score, schoenfeld, scaledsch, dfbeta };

/// Residuals of a fit, as R's residuals.coxph() with its default weighting (dfbeta weighted by
/// the case weights, the others not), each in the form of the fit's tie method (Efron forms for
/// Efron fits). Per-row types have one row per input row (in input order); Schoenfeld types one
/// row per event, ordered by stratum and time (as R).
struct CoxResiduals {
  ResidualType type = ResidualType::martingale;
  std::vector<std::string> columns;  ///< "residual" or the term names
  Eigen::MatrixXd values;
  std::vector<std::size_t> row;      ///< input row of each residual row
  std::vector<double> time;          ///< the row's (stop) time
  std::vector<std::int32_t> stratum; ///< the row's stratum code (empty without strata)
};

/// Throws UsageError for score-type residuals of an exact-ties fit (R has none).
CoxResiduals cox_residuals(const CoxData& data, const CoxResult& fit, ResidualType type);

/// "martingale", ...
std::string to_string(ResidualType type);

/// The baseline cumulative hazard and survival of a fit at the covariate means (R's
/// basehaz(fit) = survfit(fit) at fit$means: 0/1 columns at 0), per stratum, at every distinct
/// (stop) time. Efron fits use the Efron hazard increments, others Breslow's (as survfit.coxph).
struct CoxBaseline {
  std::vector<std::int32_t> stratum;  ///< dense stratum index (order of the stratum codes)
  std::vector<double> time, n_risk, n_event, cumhaz, surv;  ///< n_risk, n_event weighted (as survfit)
};
CoxBaseline cox_baseline(const CoxData& data, const CoxResult& fit);

}  // namespace hazard
