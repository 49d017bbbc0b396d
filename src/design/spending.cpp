// Error-spending functions (one-sided), as rpact's getSpendingValueCpp:
//   O'Brien–Fleming type (Lan & DeMets 1983): a(t) = 2 (1 - Phi(z_{1-alpha/2} / sqrt(t)))
//   Pocock type (Lan & DeMets 1983):          a(t) = alpha log(1 + (e - 1) t)
//   Hwang, Shih & DeCani (1990):              a(t) = alpha (1 - exp(-gamma t)) / (1 - exp(-gamma)),
//                                             alpha t for gamma = 0
//   Kim & DeMets (1987) power family:         a(t) = alpha t^rho
// The same functions spend beta for futility bounds (rpact "bsOF", "bsP", "bsHSD", "bsKD").
// Haybittle–Peto is not a spending function: a fixed nominal p at each interim (group_sequential.cpp).
#include <cmath>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "hazard/design.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

double parse_parameter(std::string_view text, std::string_view whole) {
  std::string s(text);
  try {
    std::size_t used = 0;
    double v = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(v)) throw std::invalid_argument("trailing");
    return v;
  } catch (const std::exception&) {
    throw UsageError(fmt::format("spending '{}': '{}' is not a number", whole, text));
  }
}

}  // namespace

Spending parse_spending(std::string_view text) {
  auto colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  bool has_param = colon != std::string_view::npos;
  std::string_view param = has_param ? text.substr(colon + 1) : std::string_view{};
  auto no_param = [&](SpendingType t) {
    if (has_param) throw UsageError(fmt::format("spending '{}' takes no parameter", name));
    return Spending{.type = t};
  };
  if (name == "obf") return no_param(SpendingType::obrien_fleming);
  if (name == "pocock") return no_param(SpendingType::pocock);
  if (!has_param) {
    throw UsageError(fmt::format(
        "unknown spending '{}' (expected obf, pocock, hsd:GAMMA, kd:RHO or hp:P)", text));
  }
  double v = parse_parameter(param, text);
  // rpact's ranges: gamma of Hwang–Shih–DeCani in [-10, 5], rho of Kim–DeMets in [0.4, 8] (beyond
  // them the spending underflows or overflows)
  if (name == "hsd") {
    if (!(v >= -10 && v <= 5)) throw UsageError(fmt::format("spending '{}': gamma must be in [-10, 5] (rpact's range)", text));
    return {.type = SpendingType::hsd, .parameter = v};
  }
  if (name == "kd") {
    if (!(v >= 0.4 && v <= 8)) throw UsageError(fmt::format("spending '{}': rho must be in [0.4, 8] (rpact's range)", text));
    return {.type = SpendingType::kim_demets, .parameter = v};
  }
  if (name == "hp") {
    if (!(v > 0 && v < 0.5)) {
      throw UsageError(fmt::format("spending '{}': the nominal p must be in (0, 0.5)", text));
    }
    return {.type = SpendingType::haybittle_peto, .parameter = v};
  }
  throw UsageError(fmt::format(
      "unknown spending '{}' (expected obf, pocock, hsd:GAMMA, kd:RHO or hp:P)", text));
}

std::string spending_name(const Spending& s) {
  switch (s.type) {
    case SpendingType::obrien_fleming: return "obf";
    case SpendingType::pocock: return "pocock";
    case SpendingType::hsd: return fmt::format("hsd:{}", s.parameter);
    case SpendingType::kim_demets: return fmt::format("kd:{}", s.parameter);
    case SpendingType::haybittle_peto: return fmt::format("hp:{}", s.parameter);
  }
  return "?";
}

double spending_value(const Spending& s, double total, double t) {
  if (t <= 0) return 0;
  if (t >= 1) t = 1;
  switch (s.type) {
    case SpendingType::obrien_fleming: {
      boost::math::normal n;
      double z = boost::math::quantile(boost::math::complement(n, total / 2));
      return 2 * boost::math::cdf(boost::math::complement(n, z / std::sqrt(t)));
    }
    case SpendingType::pocock:
      return total * std::log(1 + (std::exp(1.0) - 1) * t);
    case SpendingType::hsd:
      if (s.parameter == 0) return total * t;
      return total * (1 - std::exp(-s.parameter * t)) / (1 - std::exp(-s.parameter));
    case SpendingType::kim_demets:
      return total * std::pow(t, s.parameter);
    case SpendingType::haybittle_peto:
      break;
  }
  throw std::logic_error("spending_value: Haybittle–Peto is not a spending function");
}

}  // namespace hazard
