// The data of a Cox model from a table and column roles, as `hazard cox` and the R and Python
// packages build it (docs/cli/cox.md):
//   * the analysed rows are those of build_surv_data (the roles' time, start, event, group,
//     strata, where, weights; every covariate, the offset and the cluster non-missing);
//   * the design matrix starts with the arm's indicators (`roles.group`: one 0/1 column per
//     non-reference level, named "GROUP[LEVEL]", the reference being `roles.ref` or the first
//     level), followed by the covariates' columns (build_design: a numeric column is one model
//     column, a categorical one a 0/1 column per non-reference level "COL[LEVEL]");
//   * the offset column's values and the cluster's codes go with the rows.
// The caller fits it with cox_fit (and may use the same data for cox_zph, cox_residuals,
// cox_baseline and cox_survfit).
//
// Example:
//   hazard::Table t = hazard::read_data("lung.csv");
//   auto m = hazard::cox_model_data(t, {.roles = {.time = "time", .event = "status",
//                                                  .coding = hazard::EventCoding::equals,
//                                                  .event_value = "2", .strata = {"inst"}},
//                                       .covariates = {{.column = "age"}, {.column = "sex"}}});
//   hazard::CoxResult fit = hazard::cox_fit(m.model, {.ties = hazard::Ties::efron});
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/survdata.hpp"
#include "hazard/table.hpp"

namespace hazard {

struct CoxModelSpec {
  /// Column roles; `roles.covariates` is ignored (the covariates are `covariates` below).
  Roles roles;
  /// Covariates after the arm, in order (main effects); a covariate naming the group column, or
  /// named twice, is used once. Ignored when `model` has terms.
  std::vector<DesignSpec> covariates;
  /// The model's terms with R's formula meaning (parse_model_terms, the group as the lead
  /// variable): interactions. When empty, the main effects of the group and `covariates`.
  ModelTerms model;
};

struct CoxModelData {
  /// The analysed rows (exclusions, group and strata levels, table rows and lines). Its time,
  /// start, status and weight have been moved into `model`.
  SurvData data;
  /// The model's input: rows in the order of data.row.
  CoxData model;
  /// The design (names, terms, variables; its matrix is empty: the columns are in model.x, the
  /// arm's indicators first).
  Design design;
  /// Per model column, the index of its term in `term_names` (the arm is term 0 when there is a
  /// group), as cox_zph and cox_term_tests take them: design.term and design.term_names.
  std::vector<std::size_t> term;
  std::vector<std::string> term_names;
};

/// Builds the model's data (see the file comment). Throws UsageError when there is neither a
/// group nor a covariate or the model has no column to estimate, DataError when the group has a
/// single level among the analysed rows (nothing to compare) or a case weight is not positive;
/// otherwise the errors of build_surv_data and build_design (e.g. the level limit).
CoxModelData cox_model_data(const Table& table, const CoxModelSpec& spec);

/// cox_model_data for a caller that needs no more of the table's values: each column is freed
/// once its values are in the model's data (it keeps its name and kind, with no values; the
/// table's line numbers and sources stay), so that the peak memory holds about one copy of the
/// used columns instead of the table and the design matrix together. The same model data.
CoxModelData cox_model_data_releasing(Table& table, const CoxModelSpec& spec);

}  // namespace hazard
