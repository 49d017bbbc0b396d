// Overall survival adjusted for treatment switching: control patients who cross over to the
// experimental treatment (one-way switching, control -> experimental). Three estimators, as NICE
// DSU TSD 16 and 24 describe them (methods and conventions: docs/methods/crossover.md):
//
//   * rpsftm:    rank-preserving structural failure time model (Robins & Tsiatis 1991), psi by
//                g-estimation: the counterfactual untreated time U = T_off + exp(psi) T_on, psi
//                the root of the test statistic Z(psi) comparing U between the randomized arms
//                (log-rank, with strata, or the Wald z of a Cox model), its CI by test inversion,
//                re-censoring C* = min(C, C exp(psi)) on the administrative censoring time, the
//                conventions of R's rpsftm package (autoswitch: an arm in which nobody changes
//                treatment is not re-censored); the adjusted HR from a Cox model of the observed
//                experimental arm against the counterfactual control arm.
//   * ipcw:      switchers censored at the switch; inverse probability of censoring weights from
//                a pooled logistic model of switching on baseline and time-varying covariates
//                (stabilised by a numerator model on the baseline covariates, truncated at
//                percentiles); weighted Cox model with robust (sandwich) variance clustered on
//                the subject.
//   * two_stage: the simple two-stage method (Latimer et al. 2017): a Weibull AFT model of
//                post-progression survival among control patients who progressed, on the switch
//                indicator and covariates at progression; the switchers' post-progression time is
//                shrunk by the time ratio, then a Cox model on the counterfactual data.
// Each adjusted HR can carry a bootstrap CI: subjects resampled within arm, the whole estimation
// repeated, random numbers from Random123 Philox4x64-10 (key = (seed, 0), counter = (replicate,
// block, 0, 0)), so a seed gives the same intervals on every machine.
//
// Example:
//   hazard::SwitchData d{.time = t, .status = s, .arm = arm, .switched = sw, .switch_time = st,
//                        .censor_time = c};
//   hazard::RpsftmResult r = hazard::rpsftm(d, {.test = hazard::GTest::logrank});
//   double psi = r.psi, hr = r.hr.hr;
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "hazard/cox.hpp"
#include "hazard/km.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

/// One row per subject (two arms). Validated by build_switch_data (or check_switch_data).
struct SwitchData {
  std::vector<double> time{};               ///< observed event or censoring time, >= 0
  std::vector<std::uint8_t> status{};       ///< 1 = event (death), 0 = censored
  std::vector<std::int32_t> arm{};          ///< 0 = control (reference), 1 = experimental
  std::vector<std::uint8_t> switched{};     ///< 1 = control patient who switched
  std::vector<double> switch_time{};        ///< time of the switch, 0 <= s <= time; NaN if none
  std::vector<double> censor_time{};        ///< administrative censoring time (>= time); empty = none
  std::vector<std::int32_t> stratum{};      ///< stratum codes; empty = one stratum
  Eigen::MatrixXd x{};                      ///< baseline covariates of the Cox models (n x p)
  std::vector<std::string> names{};         ///< p column names
  // The two-stage method's secondary baseline (empty for the other methods).
  std::vector<std::uint8_t> progressed{};   ///< 1 = progression observed
  std::vector<double> progression_time{};   ///< time of progression; NaN if none
  Eigen::MatrixXd x2{};                     ///< covariates of the AFT model (n x q), at progression
  std::vector<std::string> names2{};        ///< q column names

  std::size_t size() const { return time.size(); }
};

/// Throws std::invalid_argument when the vectors are inconsistent (lengths, codes, a switch in
/// the experimental arm, a switch time outside [0, time], a censoring time below the time).
void check_switch_data(const SwitchData& data);

/// Counterfactual survival times, one per subject.
struct Counterfactual {
  std::vector<double> time{};
  std::vector<std::uint8_t> status{};
};

/// The untreated times at psi (rpsftm's untreated()): U = T_off + exp(psi) T_on, T_on = T for the
/// experimental arm, T - S for control switchers, 0 otherwise. With `recensor` (and censor
/// times), in each arm in which some subject's time on treatment is neither 0 nor all of T:
/// C* = min(C, C exp(psi)), and U > C* becomes (C*, censored).
Counterfactual untreated_times(const SwitchData& data, double psi, bool recensor);

/// The unswitched data of the adjusted HR: observed times in the experimental arm, untreated
/// times (re-censored as above) in the control arm.
Counterfactual unswitched_times(const SwitchData& data, double psi, bool recensor);

/// Test of the randomized arms on the counterfactual times (g-estimation).
enum class GTest {
  logrank,  ///< (O - E) / sqrt(V) of the experimental arm, stratified (survdiff)
  cox,      ///< Wald z of the arm in coxph(U ~ arm + covariates + strata)
};

/// Roots of f(psi) = target on [lo, hi]: sign changes on a grid of `grid` subintervals, each
/// bracket bisected until narrower than `tol` (the root is the bracket's midpoint; Z(psi) is a
/// step function, so a root is where it jumps across the target). An interval on which f equals
/// the target exactly gives its midpoint.
struct RootSearch {
  std::vector<double> roots{};  ///< ascending
  bool found() const { return !roots.empty(); }
};

struct BootstrapOptions {
  int replicates = 0;         ///< 0 = no bootstrap
  std::uint64_t seed = 1;
};

/// Bootstrap distribution of the log HR (and psi where there is one).
struct BootstrapSummary {
  int replicates = 0;          ///< requested
  int failed = 0;              ///< replicates without an estimate (no root, fit failure): left out
  std::uint64_t seed = 0;
  double conf_level = 0.95;
  double hr_lower = 0, hr_upper = 0;    ///< percentile interval of exp(log HR) (R quantile type 7)
  double sd_log_hr = 0;                 ///< SD of the replicates' log HR
  double psi_lower = 0, psi_upper = 0;  ///< percentile interval of psi (NaN without psi)
  std::vector<double> log_hr{};         ///< per successful replicate
  std::vector<double> psi{};
};

/// The adjusted hazard ratio (experimental vs control) of a Cox model.
struct AdjustedHr {
  double log_hr = 0, se = 0, hr = 0, lower = 0, upper = 0, z = 0, p = 1;  ///< Wald, model SE
  bool robust = false;   ///< se is the robust (sandwich) SE
  CoxResult fit{};       ///< the whole model (arm first, then the covariates)
};

struct RpsftmOptions {
  GTest test = GTest::logrank;
  bool recensor = true;          ///< needs SwitchData::censor_time
  double psi_min = -3.0;         ///< search interval for psi (and the CI limits)
  double psi_max = 3.0;
  int grid = 200;                ///< subintervals scanned for sign changes
  double tol = 1e-10;            ///< width of the final bisection bracket
  double conf_level = 0.95;
  Ties ties = Ties::efron;       ///< Cox test and HR model
  BootstrapOptions boot{};
};

struct RpsftmResult {
  RpsftmOptions options{};
  double psi = 0;                          ///< NaN when no root in the interval
  /// where the counterfactual data, the HR and the curves are evaluated: psi -/+ tol, the side of
  /// Z's jump at psi where |Z| is smaller (the data change at the jump itself)
  double psi_evaluated = 0;
  std::vector<double> psi_roots{};         ///< all roots of Z = 0 (several: Z not monotone)
  double lower = 0, upper = 0;             ///< CI limits; NaN when not found in the interval
  std::vector<double> lower_roots{}, upper_roots{};  ///< Z = +z_{a/2} and Z = -z_{a/2}
  std::vector<double> grid_psi{}, grid_z{};          ///< Z on the scan grid
  bool monotone = true;                    ///< Z non-increasing on the grid
  double z_itt = 0;                        ///< Z(0): the intention-to-treat test
  Counterfactual untreated{};              ///< untreated times at psi (both arms)
  Counterfactual unswitched{};             ///< the HR model's data at psi
  KmCurve control_km{};                    ///< KM of the counterfactual control times
  KmCurve experimental_km{};               ///< KM of the observed experimental times
  AdjustedHr hr{};
  double hr_lower_itt = 0, hr_upper_itt = 0;  ///< CI keeping the ITT test's p (log HR / z_itt)
  std::optional<BootstrapSummary> boot{};
  std::vector<std::string> warnings{};
};

/// Z(psi) of the g-estimation test at one psi.
double rpsftm_z(const SwitchData& data, double psi, const RpsftmOptions& options);

/// The whole RPSFTM analysis. Throws std::invalid_argument for inconsistent data, UsageError for
/// re-censoring without censor times or invalid options, NumericalError when the HR model fails.
RpsftmResult rpsftm(const SwitchData& data, const RpsftmOptions& options = {});

/// Root search used by rpsftm (exposed for tests): roots of f - target.
/// `grid_x`/`grid_f`: the scan's values of f, reused for other targets when given filled.
RootSearch find_roots(const std::function<double(double)>& f, double lo, double hi, int grid,
                      double tol, double target, std::vector<double>& grid_x,
                      std::vector<double>& grid_f);

// ---------------------------------------------------------------------------------------------
// Logistic regression (the switching model of IPCW).

struct LogisticOptions {
  int max_iter = 50;
  double eps = 1e-12;   ///< |dev - dev_old| / (|dev| + 0.1) (glm's rule, tighter than its 1e-8)
};

struct LogisticFit {
  std::vector<std::string> names{};   ///< "(Intercept)", then the columns
  Eigen::VectorXd coef{}, se{};
  std::vector<double> z{}, p{};
  double deviance = 0, null_deviance = 0;
  std::size_t n = 0;
  double events = 0;
  int iterations = 0;
  bool converged = false;
  Eigen::VectorXd fitted{};           ///< P(y = 1) per row
};

/// glm(y ~ x, family = binomial) by iteratively reweighted least squares (Newton), with an
/// intercept added. Throws NumericalError for a singular information matrix, no rows, or y all
/// 0 or all 1.
LogisticFit logistic_fit(const Eigen::MatrixXd& x, const std::vector<std::uint8_t>& y,
                         std::vector<std::string> names, const LogisticOptions& options = {});

// ---------------------------------------------------------------------------------------------
// IPCW.

/// Intervals of the time-varying covariates, ADaM-style long data: rows (start, stop] per
/// subject, contiguous from 0, covariates measured at the start. Validated by build_switch_intervals.
struct SwitchIntervals {
  std::vector<std::size_t> subject{};    ///< index into SwitchData's rows
  std::vector<double> start{}, stop{};
  Eigen::MatrixXd z{};                   ///< time-varying covariates (denominator model only)
  std::vector<std::string> z_names{};
  Eigen::MatrixXd time_terms{};          ///< functions of time in both switching models
  std::vector<std::string> time_names{};
  std::vector<std::uint8_t> eligible{};  ///< 1 = switching possible in the interval; empty = all
};

struct IpcwOptions {
  bool stabilised = true;
  std::optional<std::pair<double, double>> truncate{};  ///< percentiles (lo, hi) of the weights
  Ties ties = Ties::efron;
  double conf_level = 0.95;
  LogisticOptions logistic{};
  BootstrapOptions boot{};
};

/// Summary of the weights of the outcome rows of one arm.
struct WeightSummary {
  std::size_t rows = 0, subjects = 0;
  double mean = 0, min = 0, max = 0;
  double p01 = 0, p05 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0, p99 = 0;  ///< type 7
  std::size_t truncated_low = 0, truncated_high = 0;
};

/// The outcome model's rows (start, stop] with their weights.
struct IpcwRows {
  std::vector<std::size_t> subject{};
  std::vector<double> start{}, stop{};
  std::vector<std::uint8_t> event{};
  std::vector<std::int32_t> arm{};
  std::vector<double> weight{};           ///< the weight used (stabilised or not, truncated)
  std::vector<double> unstabilised{};     ///< before truncation
  std::vector<double> stabilised{};       ///< before truncation (1 without a numerator model)
  std::vector<std::uint8_t> switch_row{}; ///< control rows of the switching model: 1 = modelled
  std::vector<std::uint8_t> switch_y{};   ///< 1 = the subject switches at the row's stop
};

struct IpcwResult {
  IpcwOptions options{};
  LogisticFit denominator{}, numerator{};
  IpcwRows rows{};
  WeightSummary weights_control{}, weights_experimental{};
  std::size_t switchers_censored = 0;      ///< control subjects censored at their switch
  std::size_t rows_after_end = 0;          ///< long rows wholly after the switch/end, dropped
  std::size_t subjects_extended = 0;       ///< last interval carried forward to the end
  AdjustedHr hr{};                         ///< robust SE, clustered on the subject
  std::optional<BootstrapSummary> boot{};
  std::vector<std::string> warnings{};
};

/// Builds the weighted rows and fits the models. The control arm's switching is modelled; the
/// experimental arm has one row (0, T] with weight 1.
IpcwResult ipcw(const SwitchData& data, const SwitchIntervals& intervals,
                const IpcwOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Weibull AFT and the simple two-stage method.

struct WeibullAftFit {
  std::vector<std::string> names{};  ///< "(Intercept)", the columns, then "Log(scale)"
  Eigen::VectorXd coef{};            ///< location coefficients then log(scale)
  Eigen::MatrixXd var{};             ///< inverse observed information
  std::vector<double> se{}, z{}, p{};
  double scale = 0, loglik = 0;
  std::size_t n = 0;
  double events = 0;
  int iterations = 0;
  bool converged = false;
};

struct WeibullAftOptions {
  int max_iter = 100;
  double eps = 1e-12;  ///< relative change of the log-likelihood (survreg's rel.tolerance rule)
};

/// survreg(Surv(time, status) ~ x, dist = "weibull"): log T = b0 + x'b + sigma W, W standard
/// minimum extreme value; Newton-Raphson with step halving from the intercept-only exponential.
/// Times must be > 0. NumericalError when the fit cannot be done.
WeibullAftFit weibull_aft(const std::vector<double>& time, const std::vector<std::uint8_t>& status,
                          const Eigen::MatrixXd& x, std::vector<std::string> names,
                          const WeibullAftOptions& options = {});

struct TwoStageOptions {
  bool recensor = true;          ///< C* = C min(1, exp(psi)) for every control patient
  double pps_offset = 0.0;       ///< post-progression time = T - progression time + offset
  Ties ties = Ties::efron;
  double conf_level = 0.95;
  WeibullAftOptions aft{};
  BootstrapOptions boot{};
};

struct TwoStageResult {
  TwoStageOptions options{};
  WeibullAftFit aft{};                  ///< switch indicator first after the intercept
  double psi = 0;                       ///< -(AFT coefficient of switching)
  double psi_lower = 0, psi_upper = 0;  ///< Wald, from the AFT model
  double time_ratio = 0;                ///< exp(-psi): switchers' post-progression time multiplier
  std::size_t progressed = 0;           ///< control patients in the AFT model
  std::size_t switch_before_progression = 0;  ///< switchers whose secondary baseline is the switch
  Counterfactual unswitched{};
  KmCurve control_km{}, experimental_km{};
  AdjustedHr hr{};
  std::optional<BootstrapSummary> boot{};
  std::vector<std::string> warnings{};
};

TwoStageResult two_stage(const SwitchData& data, const TwoStageOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Building the data from tables (the data layer of `hazard crossover`).

/// Column roles of the switching data, beyond the survival roles of SurvData.
struct SwitchRoles {
  std::string switch_flag;         ///< Y/N, 1/0, true/false; blank = no switch
  std::string switch_time;         ///< same units as the time; needed when the flag is set
  std::string censor_time;         ///< administrative censoring time column
  double cutoff_date = 0;          ///< or: data cut-off (SAS date) ...
  std::string cutoff_column;       ///< ... or a column of cut-off dates
  std::string rand_date;           ///< randomization date column (with a cut-off)
  double days_per_unit = 1.0;      ///< censor time = (cut-off - rand date + 1) / days_per_unit
  std::vector<std::string> covariates;   ///< baseline covariates (Cox models, switching models)
  std::vector<DesignSpec> covariate_specs;
  std::string progression_flag;    ///< two-stage
  std::string progression_time;
  std::vector<DesignSpec> aft_specs;  ///< two-stage: covariates at progression
};

/// The switching data of the rows of `surv` (rows of `table`). Errors are DataErrors naming file,
/// line, column and value: a flag that is not Y/N/1/0/true/false, a switch in the experimental
/// arm, a switch without a time, a switch time outside [0, time], a censor time below the time
/// or missing, a progression flag without a time.
SwitchData build_switch_data(const Table& table, const SurvData& surv, const SwitchRoles& roles);

/// Long-data roles (IPCW).
struct IntervalRoles {
  std::string id = "USUBJID";
  std::string start, stop;
  std::vector<DesignSpec> covariates;   ///< time-varying (denominator)
  std::vector<DesignSpec> time_terms;   ///< both models
  std::string eligible;                 ///< Y/N or 1/0 column; empty = every interval
};

struct IntervalsBuild {
  SwitchIntervals intervals{};
  std::size_t rows_read = 0;
  std::size_t rows_other_subjects = 0;  ///< subjects not among the analysed rows (skipped)
};

/// The intervals of the long table `lng` for the subjects of `surv` (their ids in `table`'s id
/// column). DataErrors: start >= stop, the first interval not at 0, a gap or an overlap between
/// consecutive intervals, a missing covariate, a control subject without intervals, a subject's
/// switch in an interval where switching is not eligible.
IntervalsBuild build_switch_intervals(const Table& lng, const IntervalRoles& roles,
                                      const Table& table, const SurvData& surv,
                                      const std::string& id_column, const SwitchData& data);

/// R's quantile(x, p, type = 7) of unsorted values.
double quantile7(std::vector<double> values, double p);

}  // namespace hazard
