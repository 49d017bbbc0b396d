// Kaplan–Meier estimation: the survival table per group with Greenwood standard errors and
// pointwise confidence limits, the Nelson–Aalen cumulative hazard, quantiles (median) with
// confidence limits, survival at landmark times, and the restricted mean survival time (RMST).
//
// Every number follows R's survival package (version 3.5-3) so that results agree to 1e-10:
//   * table, Greenwood variance, case weights: survfit.formula / survfitKM (C survfitkm);
//   * with non-integer case weights (or KmOptions::robust), the robust (infinitesimal jackknife)
//     SE of S(t), as survfit's default robust = TRUE for such weights;
//   * confidence limits: survfit_confint with conf.type "log-log", "log" or "plain";
//   * quantiles and their limits: quantile.survfit (the band inverted; a flat segment exactly at
//     the target takes its midpoint);
//   * landmarks: summary.survfit(fit, times =, extend = TRUE);
//   * RMST and its SE: survmean (print(fit, rmean = tau)), identical to survRM2::rmst2;
//     CI estimate -/+ z*SE and the two-group difference as survRM2.
// docs/methods/kaplan_meier.md gives the formulas.
//
// Example:
//   hazard::KmResult r = hazard::kaplan_meier(data, {.conf_type = hazard::ConfType::log,
//                                                    .times = {182.5, 365}, .rmst_tau = 730.0});
//   double median_ref = r.groups[0].median.estimate;   // NaN when not estimable
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hazard/survdata.hpp"

namespace hazard {

/// Pointwise confidence interval for S(t), as R's survfit(conf.type =).
enum class ConfType {
  log_log,  ///< "log-log" (SAS's default): symmetric on log(-log S)
  log,      ///< "log" (R's default): symmetric on log S, upper limit capped at 1
  plain,    ///< "plain": S -/+ z*SE(S), clipped to [0, 1]
};

/// "log-log", "log", "plain".
const char* conf_type_name(ConfType type);
/// Parses "log-log" (also "loglog"), "log", "plain"; throws UsageError otherwise.
ConfType parse_conf_type(const std::string& text);

struct KmOptions {
  ConfType conf_type = ConfType::log_log;
  double conf_level = 0.95;                           ///< in (0, 1)
  std::vector<double> times{};                        ///< landmark times (reported sorted)
  std::optional<double> rmst_tau{};                   ///< RMST truncation time, > 0
  std::vector<double> quantiles = {0.25, 0.5, 0.75};  ///< p: the time S falls to 1 - p
  /// Merge times that differ by a few ulps first (relative difference <= sqrt(machine eps)), as
  /// R's survfit(timefix = TRUE) with aeqSurv: 7.6 and 7.6000000000076 are one time.
  bool timefix = true;
  /// The variance of S(t): true = robust (infinitesimal jackknife, each row its own cluster),
  /// false = Greenwood; unset = as R's survfit: robust when some case weight is not a whole number.
  std::optional<bool> robust{};
  /// Keep each group's whole curve in KmGroup::curve. false: the curves are not stored (KmGroup::
  /// curve is empty; curve_rows still counts its rows): only the rows that the quantiles, the
  /// landmarks and the RMST read are kept while the curve is made, so the summaries are the same
  /// to the bit in O(summaries) memory instead of 10 doubles per distinct time (with case weights
  /// the whole curve is still made first, then reduced).
  bool keep_curve = true;
};

/// One Kaplan–Meier curve, a row per distinct time (event or censoring), ascending.
/// Counts are case-weighted sums (plain counts without weights), as R's survfit.
struct KmCurve {
  std::vector<double> time{};
  std::vector<double> n_risk{};  ///< at risk just before `time`
  std::vector<double> n_event{};
  std::vector<double> n_censor{};
  std::vector<double> surv{};     ///< S(t)
  std::vector<double> se_log{};   ///< SE of log S(t): Greenwood (R's fit$std.err; +inf once S = 0),
                                  ///< or robust: std_err / S (0 where std_err is 0)
  std::vector<double> std_err{};  ///< SE of S(t) (R's summary std.err): S * se_log (Greenwood; NaN
                                  ///< once S = 0) or the infinitesimal-jackknife SE (robust)
  std::vector<double> lower{};    ///< confidence limits; NaN where R gives NA
  std::vector<double> upper{};
  std::vector<double> cumhaz{};  ///< Nelson–Aalen cumulative hazard

  std::size_t size() const { return time.size(); }
};

/// A quantile p of the survival distribution: the time at which S(t) falls to 1 - p.
struct KmQuantile {
  double p = 0.5;
  double estimate = 0;  ///< NaN = not estimable
  double lower = 0;
  double upper = 0;
};

/// Survival at a landmark time (summary.survfit(times =, extend = TRUE)).
struct KmLandmark {
  double time = 0;
  double n_risk = 0;  ///< at risk at the first curve time >= `time` (0 past the last time)
  double surv = 1;
  double std_err = 0;  ///< SE of S
  double lower = 1;
  double upper = 1;
};

/// Restricted mean survival time: the area under S(t) from 0 to tau.
struct Rmst {
  double tau = 0;
  double estimate = 0;
  double std_err = 0;
  double lower = 0;  ///< estimate -/+ z * std_err
  double upper = 0;
};

/// RMST of the non-reference group minus the reference group (two groups only), as survRM2.
struct RmstDifference {
  double estimate = 0;
  double std_err = 0;  ///< sqrt(var_1 + var_0), the groups being independent
  double lower = 0;
  double upper = 0;
  double z = 0;
  double p = 1;  ///< two-sided
};

struct KmGroup {
  std::optional<std::string> level{};  ///< the group's level; empty for the overall curve
  std::size_t n = 0;                   ///< analysed rows
  double events = 0;                   ///< number (weighted sum) of events
  KmCurve curve{};                     ///< empty with KmOptions::keep_curve = false
  std::size_t curve_rows = 0;          ///< rows (distinct times) of the whole curve
  KmQuantile median{};
  std::vector<KmQuantile> quantiles{};  ///< in the order of KmOptions::quantiles
  std::vector<KmLandmark> at{};         ///< in ascending time
  std::optional<Rmst> rmst{};           ///< with KmOptions::rmst_tau
};

struct KmResult {
  ConfType conf_type = ConfType::log_log;
  double conf_level = 0.95;
  bool weighted = false;
  bool robust = false;            ///< the infinitesimal-jackknife variance was used (KmOptions::robust)
  bool timefix = true;            ///< KmOptions::timefix
  bool times_merged = false;      ///< timefix changed some times
  std::vector<KmGroup> groups{};  ///< by group code (reference first); one without groups
  std::optional<RmstDifference>
      rmst_difference{};  ///< two groups and rmst_tau: groups[1] - groups[0]
};

/// Throws UsageError for invalid options (the checks kaplan_meier makes), e.g. before reading data.
void check_km_options(const KmOptions& options);

/// Kaplan–Meier per group of `data` (SurvData::group codes; one overall curve without groups).
/// Strata are ignored (`hazard km` refuses --strata). Throws UsageError for invalid options
/// (conf_level outside (0, 1), a quantile outside [0, 1], tau <= 0, a negative or non-finite
/// landmark time), std::invalid_argument for inconsistent data (lengths, group codes).
KmResult kaplan_meier(const SurvData& data, const KmOptions& options = {});

/// Median follow-up by the reverse Kaplan–Meier method (Schemper & Smith 1996): the median of the
/// KM curve of the time to censoring (censored = the event, an event = censored), with its CI from
/// options.conf_type and conf_level, as R's quantile(survfit(Surv(time, 1 - status) ~ group), 0.5).
/// One per group code (reference first; one overall without groups); NaN when not reached.
/// Throws UsageError for invalid options, std::invalid_argument for (start, stop] data.
std::vector<KmQuantile> km_followup(const SurvData& data, const KmOptions& options = {});

/// One KM curve from unsorted data: status 1 = event, 0 = censored; `weight` empty = all 1.
/// Uses options.conf_type, options.conf_level and options.timefix only. For reuse (report, reconstruction).
/// Times must be finite and >= 0 (std::invalid_argument otherwise).
KmCurve km_curve(std::span<const double> time, std::span<const std::uint8_t> status,
                 std::span<const double> weight = {}, const KmOptions& options = {});

/// Quantile p of a curve with limits from its band, as R's quantile.survfit.
KmQuantile km_quantile(const KmCurve& curve, double p);
/// Several quantiles at once (one preparation of the curve), in the order given.
std::vector<KmQuantile> km_quantiles(const KmCurve& curve, const std::vector<double>& probs);

/// Survival at landmark time t (>= 0), as R's summary.survfit(times = t, extend = TRUE).
KmLandmark km_landmark(const KmCurve& curve, double t);

/// RMST to tau with survmean's SE and a CI at `conf_level`.
Rmst km_rmst(const KmCurve& curve, double tau, double conf_level = 0.95);

/// `other` minus `reference`, with SE, CI at `conf_level` and two-sided p.
RmstDifference rmst_difference(const Rmst& reference, const Rmst& other, double conf_level = 0.95);

/// The pointwise limits of S for a given SE of log S, as R's survfit_confint (logse = TRUE).
/// Returns {lower, upper}; NaN where R gives NA.
struct ConfLimits {
  double lower{};
  double upper{};
};
ConfLimits km_conf_limits(double surv, double se_log, ConfType type, double conf_level);

}  // namespace hazard
