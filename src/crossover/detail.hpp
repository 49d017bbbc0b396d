// Internals shared by the crossover estimators (not part of the public API).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "hazard/crossover.hpp"

namespace hazard::detail {

/// The Cox model of the adjusted HR: the arm (1 = experimental) as first column, then `x`.
struct ArmCoxInput {
  std::span<const double> time;
  std::span<const std::uint8_t> status;
  std::span<const std::int32_t> arm;
  std::span<const std::int32_t> stratum = {};
  const Eigen::MatrixXd* x = nullptr;           ///< covariates (rows as time) or null
  const std::vector<std::string>* names = nullptr;
  std::span<const double> start = {};           ///< (start, stop] rows
  std::span<const double> weight = {};
  std::span<const std::int32_t> cluster = {};   ///< robust variance clustered on these codes
};
AdjustedHr arm_cox(const ArmCoxInput& in, Ties ties, double conf_level);

/// KM curve of the rows of one arm.
KmCurve arm_km(std::span<const double> time, std::span<const std::uint8_t> status,
               std::span<const std::int32_t> arm, std::int32_t which, double conf_level);

/// Bootstrap sample `replicate`: indices drawn with replacement within each arm (control draws
/// first, then experimental), from Philox4x64-10 with key (seed, 0) and counter
/// (replicate, draw / 4, 0, 0), word draw % 4.
std::vector<std::size_t> bootstrap_indices(std::span<const std::int32_t> arm, std::uint64_t seed,
                                           std::uint64_t replicate);

/// The subjects `idx` of `data` (repeats allowed), in that order.
SwitchData subset(const SwitchData& data, std::span<const std::size_t> idx);

/// Percentile intervals and SD from the replicates' estimates (NaN entries = failed).
BootstrapSummary summarise_bootstrap(const BootstrapOptions& options, double conf_level,
                                     const std::vector<double>& log_hr,
                                     const std::vector<double>& psi);

/// Two-sided normal quantile z_{1 - (1 - level)/2}.
double z_two_sided(double conf_level);

}  // namespace hazard::detail
