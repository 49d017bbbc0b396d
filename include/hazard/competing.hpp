// Competing risks: the Aalen–Johansen cumulative incidence per cause and group with Gray's and
// survfit's variances, Gray's K-sample test, and the Fine–Gray subdistribution hazards model
// (methods: docs/methods/competing_risks.md).
//
// Every number follows R so that results agree with it:
//   * cumulative incidence and its variance: cmprsk::cuminc 2.2-11 (Fortran cinc), Gray's
//     delta-method variance;
//   * the same estimate's standard error and pointwise CIs as survival 3.5-3's multi-state
//     survfit(Surv(time, factor(status)) ~ group) (infinitesimal-jackknife SE, survfit_confint
//     with logse = FALSE);
//   * Gray's K-sample test: cmprsk::cuminc's Tests (Fortran crstm), stratified as its `strata`,
//     weight (1 - F(t-))^rho;
//   * Fine–Gray: cmprsk::crr's coefficients and variance (the sandwich of Fine & Gray 1999 with
//     the term for the estimated censoring distribution), and the model-based and fixed-weight
//     robust variances that coxph gives on survival::finegray's weighted data.
//
// The data: one status column with one value meaning censored (--censor, "0" by default) and one
// value per cause; CompetingData holds the validated rows (SurvData with status = failure from any
// cause) and each row's cause code.
//
// Example:
//   hazard::Roles roles{.time = "etime", .group = "sex"};
//   hazard::CompetingData d = hazard::build_competing_data(table, roles, "event", "censor");
//   hazard::CumincResult r = hazard::cuminc(d, {.times = {120, 240}});
//   double f = r.groups[0].causes[hazard::cause_index(d, "pcm")].estimate.back();
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "hazard/cox.hpp"
#include "hazard/km.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

/// Validated competing-risks data. `surv` holds the rows kept (time, group, stratum, source
/// lines, exclusions) with surv.status = 1 for a failure from any cause, 0 when censored.
struct CompetingData {
  SurvData surv{};
  std::vector<std::int32_t> cause{};       ///< per row: 0 = censored, c + 1 = cause_levels[c]
  std::vector<std::string> cause_levels{};  ///< causes present, in R's sort order
  std::string status_name{};               ///< the --status column
  std::string censor{};                    ///< the value meaning censored

  std::size_t n_causes() const { return cause_levels.size(); }
};

/// The Roles that build_surv_data needs to read competing-risks data: `roles` (time, group, strata,
/// where, covariates...) with the status column as an `--event COL=CENSOR` indicator (rows whose
/// status equals `censor` are the "events" of this coding). Throws UsageError when `roles`
/// already names an event column or a weight (competing-risks estimators take no case weights).
Roles competing_roles(Roles roles, const std::string& status, const std::string& censor);

/// Turns the SurvData built with competing_roles(...) from `table` into CompetingData: reads the
/// status column of `table` for the rows kept. A numeric status column compares values as numbers
/// (so "2" and "2.0" are one cause); a text column compares text. Throws UsageError when `censor`
/// is not a number for a numeric column; DataError when no failure of any cause is left.
CompetingData make_competing_data(SurvData surv, const Table& table, const std::string& status,
                                  const std::string& censor);

/// Both steps on a table.
CompetingData build_competing_data(const Table& table, const Roles& roles,
                                   const std::string& status, const std::string& censor = "0");

/// The index (into cause_levels) of a cause given as text (compared as a number for a numeric
/// status column). Throws DataError naming the status column and the causes present when no row
/// has that cause (exit 3); UsageError when `cause` is the censoring value.
std::size_t cause_index(const CompetingData& data, const std::string& cause);

// ---- cumulative incidence ---------------------------------------------------------------

struct CumincOptions {
  ConfType conf_type = ConfType::log_log;  ///< transform of the pointwise CIs
  double conf_level = 0.95;                ///< in (0, 1)
  double rho = 0.0;                        ///< Gray's test weight (1 - F(t-))^rho, finite
  std::vector<double> times{};             ///< times to report (finite, >= 0), any order
};

/// One cause's curve in one group, at the distinct failure times of that cause (cuminc's jump
/// points). The estimate is a right-continuous step function, constant between these times.
struct CifCurve {
  std::vector<double> time{};      ///< distinct failure times of the cause, ascending
  std::vector<double> n_risk{};    ///< at risk just before each time (time >= t)
  std::vector<double> n_event{};   ///< failures from this cause at each time
  std::vector<double> estimate{};  ///< F_k(t), Aalen–Johansen
  std::vector<double> variance{};  ///< Gray's variance (cmprsk::cuminc's $var)
  std::vector<double> std_err{};   ///< survfit's infinitesimal-jackknife SE of F_k(t)
  std::vector<double> lower{};     ///< survfit's pointwise CI from std_err (conf_type); NaN = NA
  std::vector<double> upper{};
  std::vector<double> gray_lower{};  ///< the same transform applied to sqrt(variance)
  std::vector<double> gray_upper{};
};

/// A curve at a reported time t: the step functions' values at t (after every time <= t).
/// Gray's variance is the one recorded at the cause's last failure time <= t (0 before the
/// first), as cmprsk::timepoints; std_err is survfit's at t, which also moves at failures from
/// other causes (summary(survfit, times =)).
struct CifPoint {
  double time = 0;
  double estimate = 0, variance = 0, std_err = 0, lower = 0, upper = 0, gray_lower = 0,
         gray_upper = 0;
  /// t is after the group's last follow-up time: cuminc's timepoints() gives NA there; the
  /// values are those of the step function (survfit's extend = TRUE).
  bool beyond_follow_up = false;
};

struct CumincGroup {
  std::optional<std::string> level{};  ///< the group's level; empty without --group
  std::size_t n = 0;
  double last_time = 0;                ///< the group's largest time (event or censoring)
  std::vector<double> events{};        ///< failures per cause
  std::vector<CifCurve> causes{};      ///< indexed as CompetingData::cause_levels
  std::vector<std::vector<CifPoint>> at{};  ///< [cause][k]: at CumincResult::times
};

/// Gray's test of equal cumulative incidence of one cause across groups.
struct GrayTest {
  double stat = 0;  ///< score' V^-1 score; NaN when V is singular (cuminc reports -1)
  int df = 0;       ///< groups - 1
  double p = 1;     ///< upper chi-square tail; NaN when V is singular
  std::vector<double> score{};     ///< the first K - 1 groups' scores, summed over strata
  std::vector<double> variance{};  ///< (K - 1) x (K - 1), row-major
};

struct CumincResult {
  ConfType conf_type = ConfType::log_log;
  double conf_level = 0.95;
  double rho = 0;
  std::vector<double> times{};       ///< the reported times, sorted, without duplicates
  std::vector<CumincGroup> groups{};  ///< by group code (one group without --group)
  std::vector<GrayTest> tests{};      ///< per cause; empty with one group
  std::size_t n_strata = 1;          ///< strata of the test
};

/// Throws UsageError for invalid options (conf_level, rho, times).
void check_cuminc_options(const CumincOptions& options);

/// Cumulative incidence per group and cause and (two or more groups) Gray's test per cause,
/// stratified by data.surv.stratum. Cost: two radix sorts and linear passes, O(n (C + K^2)).
CumincResult cuminc(const CompetingData& data, const CumincOptions& options = {});

/// Gray's test alone, on plain spans: cause 0 = censored, 1.. = causes (the test is for `cause`);
/// group codes in [0, n_groups); stratum codes >= 0 (empty = one stratum). Rows in any order.
GrayTest gray_test(std::span<const double> time, std::span<const std::int32_t> cause_code,
                   std::int32_t cause, std::span<const std::int32_t> group, std::size_t n_groups,
                   std::span<const std::int32_t> stratum = {}, double rho = 0.0);

// ---- Fine–Gray ------------------------------------------------------------------------------

struct FineGrayOptions {
  int max_iter = 50;       ///< Newton iterations
  double tol = 1e-10;      ///< stop when every |step| <= tol * max(1, |beta|)
  double conf_level = 0.95;
};

/// The model's input: rows in any order.
struct FineGrayData {
  std::vector<double> time{};
  std::vector<std::int32_t> cause{};      ///< 0 = censored, 1 = the cause of interest, 2 = other
  std::vector<std::int32_t> cengroup{};   ///< censoring group (--strata) codes; empty = one
  Eigen::MatrixXd x{};                    ///< rows x p covariates
  std::vector<std::string> names{};       ///< p column names
};

struct FineGrayTerm {
  std::string term;
  double coef = 0;
  double se = 0;          ///< crr's SE (with the censoring-distribution term)
  double se_model = 0;    ///< sqrt of the inverse information (coxph's naive variance)
  double se_robust = 0;   ///< sandwich without the censoring term (coxph's robust, cluster = id)
  double z = 0, p = 1;    ///< from `se`
  double shr = 0, lower = 0, upper = 0;  ///< exp(coef) and its CI from `se`
};

struct FineGrayResult {
  std::size_t n = 0;
  std::size_t events = 0;        ///< failures from the cause of interest
  std::size_t competing = 0;     ///< failures from other causes
  std::size_t censored = 0;
  std::size_t n_cengroups = 1;
  int iterations = 0;
  bool converged = false;
  double loglik = 0, loglik_null = 0;  ///< log pseudo-likelihood at beta-hat and at 0 (crr's)
  Eigen::VectorXd coef;
  Eigen::MatrixXd var;          ///< crr's variance
  Eigen::MatrixXd var_model;    ///< inverse information
  Eigen::MatrixXd var_robust;   ///< sandwich without the censoring term
  Eigen::VectorXd score;        ///< score at beta-hat
  std::vector<FineGrayTerm> terms;
  CoxTest wald;                 ///< Wald test of all coefficients (crr's variance)
  CoxTest lr;                   ///< 2 (loglik - loglik_null): a pseudo-likelihood, not chi-square
};

/// The model's input from competing-risks data: `cause` (an index into data.cause_levels) is the
/// failure of interest, the other causes code 2; censoring groups = data.surv.stratum (--strata);
/// the covariates' design from `table` (build_design on data.surv.row).
FineGrayData fine_gray_data(const CompetingData& data, const Table& table, std::size_t cause,
                            const std::vector<DesignSpec>& covariates);

/// Fits the Fine–Gray model. Throws UsageError for inconsistent input, NumericalError when there
/// is no failure from the cause of interest, the information is singular or the fit diverges.
FineGrayResult fine_gray(const FineGrayData& data, const FineGrayOptions& options = {});

/// The censoring Kaplan–Meier of crr at each row's time: G_g(T_i-) within the row's censoring
/// group (failures of any cause are censored observations of G); 1 before the first time; 0
/// after the group's last time. Exposed for tests.
std::vector<double> censoring_weights(std::span<const double> time,
                                      std::span<const std::int32_t> cause,
                                      std::span<const std::int32_t> cengroup);

}  // namespace hazard
