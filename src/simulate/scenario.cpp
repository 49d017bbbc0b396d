// Scenario of a simulated trial: piecewise-exponential hazards, allocation blocks, accrual grid,
// strata, validation and the JSON scenario format (docs/cli/simulate.md).
//
// Piecewise exponential: H(t) = sum_j rate_j * |[start_j, start_{j+1}) ∩ [0, t)|; a survival time
// is H^{-1}(E) with E ~ Exp(1) (inversion, one uniform per time).
// Deterministic accrual (rpact getSimulationSurvival): with pieces of lengths d_j and intensities
// r_j, density f_j = r_j / sum(d r); piece j receives round(f_j d_j N) patients at
// start_j + m / (f_j N), m = 1, 2, ...; missing entries at the end are set to the accrual end.
// Allocation blocks: the ratio in lowest terms a:b (rpact's getFraction), a experimental then b
// control, repeated.
#include <algorithm>
#include <cmath>
#include <limits>
#include <iomanip>
#include <numeric>
#include <sstream>
#include <string>

#include "detail.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void check_hazard(const PiecewiseHazard& h, const std::string& what) {
  if (h.start.empty() || h.start.size() != h.rate.size())
    throw UsageError(what + ": piecewise hazard needs as many start times as rates");
  if (h.start[0] != 0) throw UsageError(what + ": the first piece must start at 0");
  for (std::size_t j = 0; j < h.rate.size(); ++j) {
    if (!(h.rate[j] >= 0) || !std::isfinite(h.rate[j]))
      throw UsageError(what + ": hazard rates must be finite and >= 0");
    if (j > 0 && !(h.start[j] > h.start[j - 1]))
      throw UsageError(what + ": piece start times must increase");
  }
}

}  // namespace

PiecewiseHazard multiply_hazard(const PiecewiseHazard& base, std::span<const double> hr_start,
                                std::span<const double> hr) {
  if (hr_start.size() != hr.size() || hr.empty() || hr_start[0] != 0)
    throw UsageError("piecewise hazard ratio: start times (first 0) and ratios of equal length");
  std::vector<double> cuts(base.start.begin(), base.start.end());
  cuts.insert(cuts.end(), hr_start.begin(), hr_start.end());
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  auto piece = [](std::span<const double> starts, double t) {
    auto it = std::upper_bound(starts.begin(), starts.end(), t);
    return static_cast<std::size_t>(it - starts.begin()) - 1;
  };
  PiecewiseHazard out;
  out.start = cuts;
  out.rate.resize(cuts.size());
  for (std::size_t j = 0; j < cuts.size(); ++j)
    out.rate[j] = base.rate[piece(base.start, cuts[j])] * hr[piece(hr_start, cuts[j])];
  return out;
}

double piecewise_quantile(const PiecewiseHazard& h, double e, double multiplier) {
  const std::size_t m = h.rate.size();
  for (std::size_t j = 0; j < m; ++j) {
    double rate = h.rate[j] * multiplier;
    double len = j + 1 < m ? h.start[j + 1] - h.start[j] : kInf;
    double mass = rate * len;  // inf * 0 cannot occur: len is finite except for the last piece
    if (j + 1 == m) return rate > 0 ? h.start[j] + e / rate : kInf;
    if (e < mass) return h.start[j] + e / rate;
    e -= mass;
  }
  return kInf;
}

std::pair<int, int> allocation_fraction(double ratio) {
  if (!(ratio > 0) || !std::isfinite(ratio)) throw UsageError("--ratio must be > 0");
  for (int b = 1; b <= 1000; ++b) {
    double a = ratio * b;
    double ar = std::round(a);
    if (ar >= 1 && std::fabs(a - ar) < 1e-9 * std::max(1.0, a))
      return {static_cast<int>(ar), b};
  }
  throw UsageError("--ratio must be a ratio of integers with denominator <= 1000");
}

namespace {

// A number of an --analysis value: all of `text` (finite), else UsageError.
double analysis_number(const std::string& text, const std::string& what, const std::string& whole) {
  std::size_t used = 0;
  double x = 0;
  try {
    x = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(x))
    throw UsageError(what + " " + whole + ": '" + text + "' is not a number");
  return x;
}

}  // namespace

SimulationAnalysis parse_simulation_analysis(const std::string& text, const std::string& what) {
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const std::string arg = colon == std::string::npos ? std::string() : text.substr(colon + 1);
  const bool has_arg = colon != std::string::npos;
  SimulationAnalysis a;
  auto no_arg = [&]() {
    if (has_arg) throw UsageError(what + " " + text + ": '" + name + "' takes no parameter");
  };
  if (name == "logrank") {
    no_arg();
  } else if (name == "maxcombo") {
    no_arg();
    a.test = AnalysisTest::maxcombo;
  } else if (name == "cox") {
    no_arg();
    a.test = AnalysisTest::cox;
  } else if (name == "fh") {
    const auto comma = arg.find(',');
    if (!has_arg || comma == std::string::npos)
      throw UsageError(what + " " + text + ": expected fh:RHO,GAMMA, e.g. fh:0,1");
    a.test = AnalysisTest::fh;
    a.rho = analysis_number(arg.substr(0, comma), what, text);
    a.gamma = analysis_number(arg.substr(comma + 1), what, text);
    if (a.rho < 0 || a.gamma < 0)
      throw UsageError(what + " " + text + ": rho and gamma must be >= 0");
  } else if (name == "rmst" || name == "milestone") {
    if (!has_arg)
      throw UsageError(what + " " + text + ": expected " + name +
                       (name == "rmst" ? ":TAU, e.g. rmst:24" : ":T, e.g. milestone:12"));
    a.test = name == "rmst" ? AnalysisTest::rmst : AnalysisTest::milestone;
    a.time = analysis_number(arg, what, text);
    if (!(a.time > 0)) throw UsageError(what + " " + text + ": the time must be > 0");
  } else {
    throw UsageError(what + " " + text +
                     ": expected logrank, fh:RHO,GAMMA, maxcombo, rmst:TAU, milestone:T or cox");
  }
  return a;
}

std::string analysis_name(const SimulationAnalysis& a) {
  auto num = [](double x) {
    std::ostringstream o;
    o << std::setprecision(15) << x;
    return o.str();
  };
  switch (a.test) {
    case AnalysisTest::logrank: return "logrank";
    case AnalysisTest::fh: return "fh:" + num(a.rho) + "," + num(a.gamma);
    case AnalysisTest::maxcombo: return "maxcombo";
    case AnalysisTest::rmst: return "rmst:" + num(a.time);
    case AnalysisTest::milestone: return "milestone:" + num(a.time);
    case AnalysisTest::cox: return "cox";
  }
  return "logrank";
}

BoundaryRule parse_boundary_rule(const std::string& text, const std::string& what) {
  if (text == "design") return BoundaryRule::design;
  if (text == "information") return BoundaryRule::information;
  throw UsageError(what + " " + text + ": expected design or information");
}

std::string boundary_rule_name(BoundaryRule rule) {
  return rule == BoundaryRule::information ? "information" : "design";
}

void validate_scenario(const SimulationScenario& s) {
  if (s.n < 2) throw UsageError("the number of patients must be at least 2");
  if (s.n > 100000000) throw UsageError("the number of patients is too large");
  allocation_fraction(s.ratio);
  check_hazard(s.control, "control arm");
  check_hazard(s.experimental, "experimental arm");
  if (!(s.dropout_control >= 0) || !(s.dropout_experimental >= 0))
    throw UsageError("dropout hazards must be >= 0");
  double prev = 0;
  for (const auto& st : s.strata) {
    if (!(st.prevalence >= 0) || !(st.hazard_multiplier > 0) || !std::isfinite(st.prevalence) ||
        !std::isfinite(st.hazard_multiplier))
      throw UsageError("stratum '" + st.name + "': prevalence >= 0 and hazard multiplier > 0");
    prev += st.prevalence;
  }
  if (!s.strata.empty() && !(prev > 0)) throw UsageError("stratum prevalences sum to 0");
  const auto& a = s.accrual;
  if (a.end.empty() || a.rate.size() != a.end.size())
    throw UsageError("accrual: one intensity per accrual piece (--accrual-time, --accrual-rate)");
  double last = 0, mass = 0;
  for (std::size_t j = 0; j < a.end.size(); ++j) {
    if (!(a.end[j] > last) || !std::isfinite(a.end[j]))
      throw UsageError("accrual piece ends must be finite and increasing from > 0");
    if (!(a.rate[j] >= 0)) throw UsageError("accrual intensities must be >= 0");
    mass += a.rate[j] * (a.end[j] - last);
    last = a.end[j];
  }
  if (!(mass > 0)) throw UsageError("accrual intensities are all 0");
  if (s.looks.empty()) throw UsageError("at least one look (--events or --times)");
  for (std::size_t k = 0; k < s.looks.size(); ++k) {
    if (!(s.looks[k] > 0) || (k > 0 && !(s.looks[k] > s.looks[k - 1])))
      throw UsageError("looks (events or times) must be positive and increasing");
  }
  if (s.look_type == LookType::events && s.looks.back() > static_cast<double>(s.n))
    throw UsageError("the events of the last look exceed the number of patients");
  if (s.z_efficacy.size() != s.looks.size())
    throw UsageError("one efficacy bound per look");
  if (!s.z_futility.empty() && s.z_futility.size() != s.looks.size())
    throw UsageError("one futility bound per look (or none)");
  const auto& an = s.analysis;
  if (an.test == AnalysisTest::fh &&
      !(an.rho >= 0 && an.gamma >= 0 && std::isfinite(an.rho) && std::isfinite(an.gamma)))
    throw UsageError("analysis fh: rho and gamma must be finite and >= 0");
  if ((an.test == AnalysisTest::rmst || an.test == AnalysisTest::milestone) &&
      !(an.time > 0 && std::isfinite(an.time)))
    throw UsageError("analysis " + analysis_name(an) + ": the time must be finite and > 0");
  if (s.boundary_rule == BoundaryRule::information) {
    const auto& b = s.boundary_options;
    if (b.efficacy.type == SpendingType::user)
      throw UsageError(
          "--boundaries information: user-defined spending gives alpha at the planned looks only "
          "(use a spending function, or --boundaries design)");
    if (an.test == AnalysisTest::maxcombo &&
        (b.efficacy.type == SpendingType::haybittle_peto ||
         b.efficacy.type == SpendingType::wang_tsiatis))
      throw UsageError(
          "--boundaries information with --analysis maxcombo needs an alpha-spending function "
          "(obf, pocock, hsd, kd), not " + spending_name(b.efficacy));
    if (an.test == AnalysisTest::maxcombo && b.futility)
      throw UsageError(
          "--boundaries information with --analysis maxcombo: beta-spending futility bounds need "
          "the MaxCombo statistic's drift under H1, which has no closed form (use --boundaries "
          "design, or no --futility)");
    if (b.futility && b.futility->type == SpendingType::user)
      throw UsageError("--boundaries information: user-defined futility spending is not allowed");
  }
}

namespace detail {

ScenarioPlan plan_scenario(const SimulationScenario& s) {
  ScenarioPlan p;
  auto [a, b] = allocation_fraction(s.ratio);
  p.block_exp = a;
  p.block_ctl = b;
  const auto& acc = s.accrual;
  const std::size_t m = acc.end.size();
  std::vector<double> len(m);
  double mass = 0;
  for (std::size_t j = 0; j < m; ++j) {
    len[j] = acc.end[j] - (j ? acc.end[j - 1] : 0.0);
    mass += len[j] * acc.rate[j];
  }
  const double n = static_cast<double>(s.n);
  p.accrual_end = acc.end;
  p.accrual_cum.resize(m);
  double cum = 0;
  for (std::size_t j = 0; j < m; ++j) {
    double density = acc.rate[j] / mass;
    cum += density * len[j];
    p.accrual_cum[j] = cum;
    double reps = std::round(density * len[j] * n);
    double start = j ? acc.end[j - 1] : 0.0;
    for (double r = 1; r <= reps && p.entry_grid.size() < s.n; ++r)
      p.entry_grid.push_back(start + r / (density * n));
  }
  p.accrual_cum.back() = 1.0;
  while (p.entry_grid.size() < s.n) p.entry_grid.push_back(acc.end.back());
  if (!s.strata.empty()) {
    double total = 0;
    for (const auto& st : s.strata) total += st.prevalence;
    double c = 0;
    for (const auto& st : s.strata) {
      c += st.prevalence / total;
      p.stratum_cum.push_back(c);
    }
    p.stratum_cum.back() = 1.0;
  }
  return p;
}

}  // namespace detail

// ---------------------------------------------------------------- JSON scenario format

namespace {

double median_to_hazard(double median) {
  if (!(median > 0)) throw UsageError("scenario: medians must be > 0");
  return std::log(2.0) / median;
}

std::vector<double> vec(const nlohmann::json& j, const char* what) {
  if (j.is_number()) return {j.get<double>()};
  if (!j.is_array()) throw UsageError(std::string("scenario: '") + what + "' must be a number or an array");
  std::vector<double> v;
  for (const auto& x : j) {
    if (!x.is_number()) throw UsageError(std::string("scenario: '") + what + "' must hold numbers");
    v.push_back(x.get<double>());
  }
  return v;
}

PiecewiseHazard arm_hazard(const nlohmann::json& j, const char* arm) {
  PiecewiseHazard h;
  if (j.contains("median")) {
    h.rate = {median_to_hazard(j["median"].get<double>())};
  } else if (j.contains("hazard")) {
    h.rate = vec(j["hazard"], "hazard");
    h.start = j.contains("start") ? vec(j["start"], "start") : std::vector<double>{0.0};
  } else {
    throw UsageError(std::string("scenario: arm '") + arm + "' needs 'median' or 'hazard'");
  }
  return h;
}

}  // namespace

ScenarioFile scenario_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw UsageError("scenario: the file must hold a JSON object");
  static const char* known[] = {"n", "ratio", "control", "experimental", "strata", "accrual",
                                "random_allocation", "dropout", "looks", "design", "study_id",
                                "description", "analysis"};
  for (const auto& item : j.items()) {
    const std::string& key = item.key();  // not a structured binding: clang 14 cannot capture one
    if (std::find_if(std::begin(known), std::end(known),
                     [&](const char* k) { return key == k; }) == std::end(known))
      throw UsageError("scenario: unknown key '" + key + "'");
  }
  ScenarioFile f;
  auto& s = f.scenario;
  try {
    if (j.contains("n")) s.n = j["n"].get<std::size_t>();
    if (j.contains("ratio")) s.ratio = j["ratio"].get<double>();
    if (j.contains("control")) s.control = arm_hazard(j["control"], "control");
    if (j.contains("experimental")) {
      const auto& e = j["experimental"];
      if (e.contains("hr")) {
        if (!j.contains("control")) throw UsageError("scenario: 'hr' needs the control arm");
        auto hr = vec(e["hr"], "hr");
        auto st = e.contains("start") ? vec(e["start"], "start") : std::vector<double>{0.0};
        s.experimental = multiply_hazard(s.control, st, hr);
      } else {
        s.experimental = arm_hazard(e, "experimental");
      }
    }
    if (j.contains("strata")) {
      for (const auto& st : j["strata"]) {
        s.strata.push_back({.name = st.value("name", std::string("S") + std::to_string(s.strata.size() + 1)),
                            .prevalence = st.value("prevalence", 1.0),
                            .hazard_multiplier = st.value("hazard_multiplier", 1.0)});
      }
    }
    if (j.contains("accrual")) {
      const auto& a = j["accrual"];
      if (a.contains("time")) s.accrual.end = vec(a["time"], "accrual.time");
      if (a.contains("end")) s.accrual.end = vec(a["end"], "accrual.end");
      s.accrual.rate = a.contains("rate") ? vec(a["rate"], "accrual.rate")
                                          : std::vector<double>(s.accrual.end.size(), 1.0);
      s.random_accrual = a.value("random", false);
    }
    s.random_allocation = j.value("random_allocation", false);
    if (j.contains("dropout")) {
      const auto& d = j["dropout"];
      if (d.contains("rate")) {
        // rpact's dropoutRate: probability of dropping out by dropout time
        double rate = d["rate"].get<double>(), time = d.value("time", 12.0);
        if (!(rate >= 0 && rate < 1) || !(time > 0))
          throw UsageError("scenario: dropout.rate in [0, 1) and dropout.time > 0");
        s.dropout_control = s.dropout_experimental = -std::log1p(-rate) / time;
      }
      if (d.contains("hazard_control")) s.dropout_control = d["hazard_control"].get<double>();
      if (d.contains("hazard_experimental"))
        s.dropout_experimental = d["hazard_experimental"].get<double>();
    }
    if (j.contains("looks")) {
      const auto& l = j["looks"];
      if (l.contains("events")) {
        s.look_type = LookType::events;
        s.looks = vec(l["events"], "looks.events");
      } else if (l.contains("times")) {
        s.look_type = LookType::calendar;
        s.looks = vec(l["times"], "looks.times");
      } else {
        throw UsageError("scenario: 'looks' needs 'events' or 'times'");
      }
    }
    if (j.contains("analysis")) {
      if (!j["analysis"].is_string())
        throw UsageError("scenario: 'analysis' must be a string such as \"fh:0,1\"");
      s.analysis = parse_simulation_analysis(j["analysis"].get<std::string>(), "scenario: analysis");
    }
    if (j.contains("study_id")) s.study_id = j["study_id"].get<std::string>();
    if (j.contains("design")) f.design = j["design"];
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(std::string("scenario: ") + e.what());
  }
  return f;
}

}  // namespace hazard
