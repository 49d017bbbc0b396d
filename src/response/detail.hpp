// Helpers shared by the proportion kernels of src/response/ (and src/safety/): the normal quantile
// of a two-sided interval and the argument checks every kernel makes first.
#pragma once

#include <fmt/format.h>

#include <boost/math/distributions/normal.hpp>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "hazard/error.hpp"

namespace hazard::detail {

/// Throws UsageError unless 0 < conf_level < 1.
inline void check_conf_level(double conf_level) {
  if (!(conf_level > 0 && conf_level < 1))
    throw UsageError(fmt::format("the confidence level must be in (0, 1), not {}", conf_level));
}

/// qnorm(1 - (1 - conf_level) / 2), as R computes it.
inline double z_two_sided(double conf_level) {
  check_conf_level(conf_level);
  return boost::math::quantile(boost::math::normal_distribution<double>(),
                               1 - (1 - conf_level) / 2);
}

/// Throws std::invalid_argument unless x <= n (a caller's bug: counts come from tallies).
inline void check_count(std::size_t x, std::size_t n, const char* what) {
  if (x > n) throw std::invalid_argument(fmt::format("{}: {} events out of {}", what, x, n));
}

}  // namespace hazard::detail
