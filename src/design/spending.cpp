// Error-spending functions (one-sided), as rpact's getSpendingValueCpp:
//   O'Brien–Fleming type (Lan & DeMets 1983): a(t) = 2 (1 - Phi(z_{1-alpha/2} / sqrt(t)))
//   Pocock type (Lan & DeMets 1983):          a(t) = alpha log(1 + (e - 1) t)
//   Hwang, Shih & DeCani (1990):              a(t) = alpha (1 - exp(-gamma t)) / (1 - exp(-gamma)),
//                                             alpha t for gamma = 0
//   Kim & DeMets (1987) power family:         a(t) = alpha t^rho
// The same functions spend beta for futility bounds (rpact "bsOF", "bsP", "bsHSD", "bsKD").
// Two-sided designs (sided = 2) spend the two-sided total; only the O'Brien–Fleming type changes:
//   2 sided (1 - Phi(z_{1 - alpha / (2 sided)} / sqrt(t)))   (rpact getSpendingValueCpp)
// User-defined (rpact "asUser"): the cumulative alpha a_k given at the planned fractions t_k, and,
// between them (monitoring at other fractions), linear interpolation from (0, 0) (as gsDesign's
// sfLinear); scaled by total / a_K for another total (repeated p-values).
// Haybittle–Peto and Wang–Tsiatis are not spending functions (group_sequential.cpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

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
  if (name == "user") {
    Spending u{.type = SpendingType::user};
    std::size_t start = 0;
    while (start <= param.size()) {
      auto comma = param.find(',', start);
      auto item = param.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      double a = parse_parameter(item, text);
      if (!(a > 0 && a < 1) || (!u.values.empty() && !(a >= u.values.back()))) {
        throw UsageError(fmt::format(
            "spending '{}': the cumulative alpha must be positive, below 1 and non-decreasing",
            text));
      }
      u.values.push_back(a);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return u;
  }
  double v = parse_parameter(param, text);
  // rpact's ranges: gamma of Hwang–Shih–DeCani in [-10, 5], rho of Kim–DeMets in [0.4, 8] (beyond
  // them the spending underflows or overflows)
  if (name == "hsd") {
    if (!(v >= -10 && v <= 5)) throw UsageError(fmt::format("spending '{}': gamma must be in [-10, 5] (rpact's range)", text));
    return {.type = SpendingType::hsd, .parameter = v};
  }
  if (name == "wt") {
    if (!(v >= -0.5 && v <= 1)) {
      throw UsageError(fmt::format("spending '{}': delta must be in [-0.5, 1]", text));
    }
    return {.type = SpendingType::wang_tsiatis, .parameter = v};
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
      "unknown spending '{}' (expected obf, pocock, hsd:GAMMA, kd:RHO, hp:P, wt:DELTA or "
      "user:A1,...,AK)",
      text));
}

std::string spending_name(const Spending& s) {
  switch (s.type) {
    case SpendingType::obrien_fleming: return "obf";
    case SpendingType::pocock: return "pocock";
    case SpendingType::hsd: return fmt::format("hsd:{}", s.parameter);
    case SpendingType::kim_demets: return fmt::format("kd:{}", s.parameter);
    case SpendingType::haybittle_peto: return fmt::format("hp:{}", s.parameter);
    case SpendingType::wang_tsiatis:
      return fmt::format("wt:{}", s.parameter);
    case SpendingType::user:
      return fmt::format("user:{}", fmt::join(s.values, ","));
  }
  return "?";
}

double spending_value(const Spending& s, double total, double t, int sided) {
  if (t <= 0) return 0;
  if (t >= 1) t = 1;
  switch (s.type) {
    case SpendingType::obrien_fleming: {
      boost::math::normal n;
      double z = boost::math::quantile(boost::math::complement(n, total / (2 * sided)));
      return 2 * sided * boost::math::cdf(boost::math::complement(n, z / std::sqrt(t)));
    }
    case SpendingType::user: {
      if (s.at.size() != s.values.size() || s.values.empty()) {
        throw std::logic_error("spending_value: user-defined spending without its looks");
      }
      const double scale = total / s.values.back();
      double t0 = 0, a0 = 0;
      for (std::size_t k = 0; k < s.at.size(); ++k) {
        if (t == s.at[k]) return s.values[k] * scale;
        if (t < s.at[k]) return (a0 + (s.values[k] - a0) * (t - t0) / (s.at[k] - t0)) * scale;
        t0 = s.at[k];
        a0 = s.values[k];
      }
      return total;
    }
    case SpendingType::wang_tsiatis:
      break;
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
  throw std::logic_error(
      "spending_value: Haybittle–Peto and Wang–Tsiatis are not spending functions");
}

}  // namespace hazard
