// The data of a Cox model from a table and column roles (include/hazard/cox_model.hpp): the rows
// of build_surv_data, the arm's indicator columns in front of build_design's columns in one
// matrix (no copy), the offset values and cluster codes of the analysed rows. No fitting here.
#include "hazard/cox_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "hazard/error.hpp"

namespace hazard {

CoxModelData cox_model_data(const Table& table, const CoxModelSpec& spec) {
  // the covariates, without the group column and without repeats
  std::vector<DesignSpec> specs;
  for (const DesignSpec& s : spec.covariates) {
    if (s.column.empty() || s.column == spec.roles.group) continue;
    if (std::any_of(specs.begin(), specs.end(),
                    [&](const DesignSpec& d) { return d.column == s.column; }))
      continue;
    specs.push_back(s);
  }
  if (specs.empty() && spec.roles.group.empty())
    throw UsageError("the model needs --covariates COL[,COL...] and/or --group COL");

  Roles roles = spec.roles;
  roles.covariates.clear();
  for (const DesignSpec& s : specs) roles.covariates.push_back(s.column);

  CoxModelData out;
  out.data = build_surv_data(table, roles);
  SurvData& sd = out.data;
  const std::size_t n = sd.size();
  CoxData& cd = out.model;
  cd.time = std::move(sd.time);
  cd.start = std::move(sd.start);
  cd.status = std::move(sd.status);
  cd.weight = std::move(sd.weight);
  cd.stratum = sd.stratum;
  if (!roles.offset.empty()) {
    const Column& c = table.at(roles.offset);
    cd.offset.reserve(n);
    // build_surv_data has checked that every analysed value is a finite number
    for (std::size_t r : sd.row)
      cd.offset.push_back(c.is_numeric() ? c.numbers[r] : std::strtod(c.text(r).c_str(), nullptr));
  }
  if (!roles.cluster.empty()) {
    const Factor f = make_factor(table.at(roles.cluster));
    cd.cluster.reserve(n);
    for (std::size_t r : sd.row) cd.cluster.push_back(f.codes[r]);
  }

  // the arm's indicator columns go in front, in the design's own matrix
  const Eigen::Index ng =
      sd.group.empty() ? 0 : static_cast<Eigen::Index>(sd.group_levels.size()) - 1;
  out.design = build_design(table, sd.row, specs, static_cast<std::size_t>(ng));
  cd.x = std::move(out.design.x);
  out.design.x = Eigen::MatrixXd();
  for (Eigen::Index g = 0; g < ng; ++g) {
    for (std::size_t i = 0; i < n; ++i)
      cd.x(static_cast<Eigen::Index>(i), g) = sd.group[i] == g + 1 ? 1.0 : 0.0;
    cd.names.push_back(
        fmt::format("{}[{}]", sd.group_name, sd.group_levels[static_cast<std::size_t>(g + 1)]));
    out.term.push_back(0);
  }
  for (const auto& name : out.design.names) cd.names.push_back(name);
  if (cd.x.cols() == 0)
    throw UsageError(fmt::format(
        "--group {}: only one level in the analysed rows, nothing to compare", sd.group_name));

  if (ng > 0) out.term_names.push_back(sd.group_name);
  const std::size_t first = ng > 0 ? 1 : 0;
  for (std::size_t t : out.design.term) out.term.push_back(t + first);
  for (const auto& name : out.design.term_names) out.term_names.push_back(name);
  return out;
}

}  // namespace hazard
