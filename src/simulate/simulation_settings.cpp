// A trial simulation's settings turned into a scenario with its boundaries
// (include/hazard/simulation_settings.hpp): the rules of `hazard simulate`, shared with the R and
// Python packages.
#include "hazard/simulation_settings.hpp"

#include <fmt/format.h>

#include <cmath>

#include "hazard/error.hpp"

namespace hazard {

SimulationSetup simulation_setup(const SimulationSettings& f) {
  SimulationSetup out;
  SimulationScenario& s = out.scenario;
  nlohmann::json design = nlohmann::json::object();
  if (!f.scenario_json.is_null()) {
    auto file = scenario_from_json(f.scenario_json);
    s = file.scenario;
    if (file.design.is_object()) design = file.design;
  } else {
    s.accrual = {};
  }
  // settings override the scenario
  if (f.n) s.n = *f.n;
  if (f.ratio) s.ratio = *f.ratio;
  if (f.median_control) {
    if (!(*f.median_control > 0)) throw UsageError("--median-control must be > 0");
    s.control = PiecewiseHazard{.start = {0.0}, .rate = {std::log(2.0) / *f.median_control}};
  }
  if (f.hr && f.median_experimental) throw UsageError("give either --hr or --median-experimental");
  if (f.hr || f.median_experimental) {
    if (s.control.rate.empty())
      throw UsageError("--hr needs --median-control (or a scenario control arm)");
    if (f.median_experimental) {
      if (!(*f.median_experimental > 0)) throw UsageError("--median-experimental must be > 0");
      s.experimental =
          PiecewiseHazard{.start = {0.0}, .rate = {std::log(2.0) / *f.median_experimental}};
    } else {
      if (!(*f.hr > 0)) throw UsageError("--hr must be > 0");
      std::vector<double> st{0.0}, hr{*f.hr};
      s.experimental = multiply_hazard(s.control, st, hr);
    }
  }
  if (s.control.rate.empty())
    throw UsageError("the control hazard is required: --median-control or a scenario file");
  if (s.experimental.rate.empty())
    throw UsageError("the effect is required: --hr, --median-experimental or a scenario file");
  if (!f.accrual_time.empty()) {
    s.accrual.end = f.accrual_time;
    s.accrual.rate =
        f.accrual_rate.empty() ? std::vector<double>(f.accrual_time.size(), 1.0) : f.accrual_rate;
  } else if (!f.accrual_rate.empty()) {
    throw UsageError("--accrual-rate needs --accrual-time");
  }
  if (s.accrual.end.empty())
    throw UsageError("accrual is required: --accrual-time T (or a scenario file)");
  if (f.random_accrual) s.random_accrual = true;
  if (f.random_allocation) s.random_allocation = true;
  if (f.hr_estimator == "cox")
    s.hr_estimator = HrEstimator::cox;
  else if (f.hr_estimator != "pike")
    throw UsageError(fmt::format("--hr-estimator {}: expected pike or cox", f.hr_estimator));
  if (f.analysis) s.analysis = parse_simulation_analysis(*f.analysis);
  if (f.dropout) {
    if (!(*f.dropout >= 0 && *f.dropout < 1) || !(f.dropout_time > 0))
      throw UsageError("--dropout must be in [0, 1) and --dropout-time > 0");
    s.dropout_control = s.dropout_experimental = -std::log1p(-*f.dropout) / f.dropout_time;
  }
  if (!f.events.empty() && !f.times.empty()) throw UsageError("give either --events or --times");
  if (!f.events.empty()) {
    s.look_type = LookType::events;
    s.looks = f.events;
  } else if (!f.times.empty()) {
    s.look_type = LookType::calendar;
    s.looks = f.times;
  }
  if (s.looks.empty())
    throw UsageError("the looks are required: --events E1,...,EK or --times T1,...,TK");
  const std::size_t K = s.looks.size();
  if (f.looks && static_cast<std::size_t>(*f.looks) != K)
    throw UsageError(fmt::format("--looks {} but {} looks given by --events/--times", *f.looks, K));

  // boundaries from the design library
  BoundaryOptions b;
  b.alpha = f.alpha ? *f.alpha : design.value("alpha", 0.025);
  b.beta = 1 - (f.power ? *f.power : 1 - design.value("beta", 0.2));
  out.spending = f.spending ? *f.spending : design.value("spending", std::string("obf"));
  out.futility = f.futility ? *f.futility : design.value("futility", std::string());
  b.efficacy = parse_spending(out.spending);
  if (!out.futility.empty() && out.futility != "none") b.futility = parse_spending(out.futility);
  b.binding = f.binding || design.value("binding", false);
  if (!f.info.empty()) {
    b.info = f.info;
  } else if (design.contains("info")) {
    b.info = design["info"].get<std::vector<double>>();
  } else if (s.look_type == LookType::events) {
    for (double e : s.looks) b.info.push_back(e / s.looks.back());
  } else {
    for (std::size_t k = 1; k <= K; ++k)
      b.info.push_back(static_cast<double>(k) / static_cast<double>(K));
  }
  if (b.info.size() != K) throw UsageError("one information fraction per look (--info)");
  if (!(b.alpha > 0 && b.alpha < 0.5)) throw UsageError("--alpha must be in (0, 0.5)");
  if (!(b.beta > 0 && b.beta < 1 - b.alpha)) throw UsageError("--power must be in (alpha, 1)");
  if (std::fabs(b.info.back() - 1) > 1e-9)
    throw UsageError("the last information fraction must be 1");
  b.info.back() = 1;
  out.alpha = b.alpha;
  out.design = GroupSequentialDesign::compute(b);
  s.z_efficacy = out.design.z_efficacy;
  if (b.futility) s.z_futility = out.design.z_futility;
  // the rule comparing z with a bound: the log-rank's and Cox's information is proportional to
  // the events, as the design's fractions assume; the others' is not
  if (f.boundaries) {
    s.boundary_rule = parse_boundary_rule(*f.boundaries);
  } else if (design.contains("boundaries")) {
    if (!design["boundaries"].is_string())
      throw UsageError("scenario: design.boundaries must be \"design\" or \"information\"");
    s.boundary_rule =
        parse_boundary_rule(design["boundaries"].get<std::string>(), "scenario: design.boundaries");
  } else {
    const AnalysisTest t = s.analysis.test;
    s.boundary_rule = t == AnalysisTest::logrank || t == AnalysisTest::cox
                          ? BoundaryRule::design
                          : BoundaryRule::information;
  }
  s.boundary_options = out.design.options;
  validate_scenario(s);
  return out;
}

}  // namespace hazard
