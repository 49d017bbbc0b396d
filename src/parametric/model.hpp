// The data of a fit as the row loop reads them, and the pieces of fit_parametric shared with
// extrapolation and the tests (internal).
#pragma once

#include <vector>

#include "hazard/parametric.hpp"
#include "parametric/family.hpp"
#include "parametric/newton.hpp"

namespace hazard::detail::parametric {

/// Throws UsageError for invalid data (see fit.cpp's contract).
void check_data(const ParametricData& data);

/// A Model over `data` (which must outlive it) with log times precomputed (or borrowed from
/// `log_time`, the same for every fit of the data, which must then outlive the model).
struct ModelData {
  ModelData(const ParametricData& data, const FamilySpec& spec, int m,
            const std::vector<double>* log_time = nullptr);
  ModelData(const ModelData&) = delete;
  ModelData& operator=(const ModelData&) = delete;
  std::vector<double> log_time, log_start;
  Model model;
};

/// The fit's tables (terms, covariance, coefficients, Weibull PH form, AIC, BIC) from the
/// optimiser's result.
ParametricFit finish_fit(const ParametricData& data, const Distribution& dist,
                         const ParametricOptions& options, const std::vector<double>& knots,
                         const Model& model, const NewtonResult& nr);

}  // namespace hazard::detail::parametric
