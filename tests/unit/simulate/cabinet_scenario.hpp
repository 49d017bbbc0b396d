// The CABINET-like scenario shared by the simulation tests: N = 216, 2:1, control median 6,
// HR 0.6, uniform accrual over 12, looks at 61/122/183 events (issue 5's benchmark scenario).
#pragma once

#include <cmath>
#include <utility>
#include <vector>

#include "hazard/simulate.hpp"

namespace hazard::test {

inline SimulationScenario cabinet_like(std::vector<double> z_efficacy) {
  SimulationScenario s;
  s.n = 216;
  s.ratio = 2;
  s.control = {.start = {0.0}, .rate = {std::log(2.0) / 6}};
  s.experimental = {.start = {0.0}, .rate = {0.6 * std::log(2.0) / 6}};
  s.accrual = {.end = {12.0}, .rate = {1.0}};
  s.looks = {61, 122, 183};
  s.z_efficacy = std::move(z_efficacy);
  return s;
}

}  // namespace hazard::test
