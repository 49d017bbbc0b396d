// Test helper: maps a hazard design/monitor flag string (as recorded next to each rpact call in
// tests/reference/design/*.json) onto the library options, so that unit tests exercise the
// library with the same inputs the CLI tests use.
#pragma once

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "hazard/design.hpp"

namespace hazard::test {

struct FlagOptions {
  SurvivalDesignOptions design;
  double max_events = NAN;
  double hr0 = 1;
  std::vector<double> events, z;
};

inline std::vector<double> list(const std::string& s) {
  std::vector<double> v;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) v.push_back(std::stod(item));
  return v;
}

inline FlagOptions options_from_flags(const std::string& flags) {
  std::map<std::string, std::string> f;
  std::stringstream in(flags);
  std::string key;
  while (in >> key) {
    if (key == "--binding" || key == "--final") {
      f[key] = "1";
      continue;
    }
    std::string value;
    in >> value;
    f[key] = value;
  }
  auto get = [&](const std::string& k, double dflt) { return f.count(k) ? std::stod(f[k]) : dflt; };
  FlagOptions r;
  auto& o = r.design;
  double mc = get("--median-control", NAN);
  o.hr = f.count("--hr") ? get("--hr", 0) : mc / get("--median-experimental", NAN);
  o.hr0 = get("--hr0", 1);
  o.ratio = get("--ratio", 1);
  o.method = parse_event_method(f.count("--method") ? f["--method"] : "schoenfeld");
  auto& b = o.boundaries;
  b.alpha = get("--alpha", 0.025);
  b.beta = 1 - get("--power", 0.8);
  int K = static_cast<int>(get("--looks", 1));
  if (f.count("--info")) {
    b.info = list(f["--info"]);
  } else {
    for (int k = 1; k <= K; ++k) b.info.push_back(static_cast<double>(k) / K);
  }
  b.sided = static_cast<int>(get("--sided", 1));
  b.efficacy = parse_spending(f.count("--spending") ? f["--spending"] : "obf");
  if (b.efficacy.type == SpendingType::user) b.efficacy.at = b.info;
  if (f.count("--futility")) b.futility = parse_spending(f["--futility"]);
  b.binding = f.count("--binding") > 0;
  if (!std::isnan(mc)) {
    SurvivalPlanOptions p;
    p.lambda_control = std::log(2.0) / mc;
    if (f.count("--accrual-time")) p.accrual.end = list(f["--accrual-time"]);
    if (f.count("--accrual-rate")) p.accrual.rate = list(f["--accrual-rate"]);
    p.follow_up = get("--follow-up", NAN);
    p.dropout_rate = get("--dropout", 0);
    p.dropout_time = get("--dropout-time", 12);
    o.plan = p;
  }
  if (f.count("--events") && !f.count("--z")) o.max_events = get("--events", NAN);  // design
  if (f.count("--n")) o.max_subjects = get("--n", NAN);
  r.max_events = get("--max-events", NAN);
  r.hr0 = o.hr0;
  if (f.count("--events") && f.count("--z")) r.events = list(f["--events"]);  // monitor
  if (f.count("--z")) r.z = list(f["--z"]);
  return r;
}

}  // namespace hazard::test
