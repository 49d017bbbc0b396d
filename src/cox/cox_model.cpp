// The data of a Cox model from a table and column roles (include/hazard/cox_model.hpp): the rows
// of build_surv_data, the arm's indicator columns in front of build_design's columns in one
// matrix (no copy), the offset values and cluster codes of the analysed rows. No fitting here.
#include "hazard/cox_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "hazard/error.hpp"

namespace hazard {

namespace {

// cox_model_data, and with `release` (== &table) cox_model_data_releasing: once the rows' times,
// statuses, weights, strata, offsets and clusters are copied, build_design_releasing frees the
// table's columns (those the design does not read first, the others as it reads them).
CoxModelData model_data(const Table& table, const CoxModelSpec& spec, Table* release) {
  // the model: the given terms, or the main effects of the group and the covariates (without the
  // group column and without repeats)
  ModelTerms model = spec.model;
  if (model.terms.empty()) {
    model.variables.clear();
    if (!spec.roles.group.empty()) {
      model.variables.push_back({.column = spec.roles.group, .ref = spec.roles.ref, .factor = true});
      model.terms.push_back({0});
    }
    for (const DesignSpec& s : spec.covariates) {
      if (s.column.empty() || s.column == spec.roles.group) continue;
      if (std::any_of(model.variables.begin(), model.variables.end(),
                      [&](const DesignSpec& d) { return d.column == s.column; }))
        continue;
      model.terms.push_back({model.variables.size()});
      model.variables.push_back(s);
    }
  }
  if (model.terms.empty())
    throw UsageError("the model needs --covariates COL[,COL...] and/or --group COL");

  Roles roles = spec.roles;
  roles.covariates.clear();
  for (DesignSpec& v : model.variables) {
    v.level_limit = roles.level_limit;  // --max-levels for categorical covariates too
    if (v.column == roles.group) {
      v.factor = true;  // the arm is categorical even when coded by numbers
      if (v.ref.empty()) v.ref = roles.ref;
      continue;
    }
    roles.covariates.push_back(v.column);
  }

  CoxModelData out;
  out.data = build_surv_data(table, roles);
  SurvData& sd = out.data;
  if (!roles.group.empty()) check_group_levels(sd, 2, SIZE_MAX, "a Cox model compares the arms of --group");
  for (std::size_t i = 0; i < sd.weight.size(); ++i)
    if (!(sd.weight[i] > 0))
      throw DataError({.file = table.source_of(sd.row[i]), .line = sd.line.empty() ? 0 : sd.line[i], .column = roles.weights,
                       .value = fmt::format("{}", sd.weight[i]), .has_value = true, .unit = table.record_unit},
                      "a Cox model needs positive case weights (as R's coxph)");
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

  // the design matrix in one piece (the arm's columns first), moved into the model data
  out.design = release ? build_design_releasing(*release, sd.row, model)
                       : build_design(table, sd.row, model);
  cd.x = std::move(out.design.x);
  out.design.x = Eigen::MatrixXd();
  cd.names = out.design.names;
  if (cd.x.cols() == 0)
    throw UsageError("the model has no columns to estimate");  // e.g. an interaction of one-level factors
  out.term = out.design.term;
  out.term_names = out.design.term_names;
  return out;
}

}  // namespace

CoxModelData cox_model_data(const Table& table, const CoxModelSpec& spec) {
  return model_data(table, spec, nullptr);
}

CoxModelData cox_model_data_releasing(Table& table, const CoxModelSpec& spec) {
  return model_data(table, spec, &table);
}

}  // namespace hazard
