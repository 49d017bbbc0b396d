// Subgroup analyses of `hazard report`: the cut of a numeric column into two levels (--cut), the
// refusal of a continuous subgroup column, the treatment-by-subgroup interaction test, and the
// forest block of one subgroup column.
//
// Interaction test (likelihood ratio), as R's anova() of two nested coxph fits:
//   model 0: h(t) = h0(t) exp(sum_k a_k A_k + sum_l b_l S_l)
//   model 1: model 0 + sum_k sum_l g_kl A_k S_l
// with A_k the indicator of arm k (k = 1..K-1, against the control) and S_l of subgroup level l
// (l = 1..L-1, against the first level present), both Cox fits unstratified with the report's ties.
// chisq = 2 (loglik_1 - loglik_0), df = (estimable coefficients of model 1) - (of model 0), as
// anova.coxphlist counts them (an aliased column, NA in R, does not count), p = P(chi2_df > chisq).
// Input: the cohort's SurvData (group code 0 = control) and one subgroup code per row (-1 =
// missing: the row is left out of both fits, as R's na.action does).
#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "hazard/report.hpp"
#include "report/rows.hpp"

namespace hazard::report {

void cut_column(Table& table, const std::string& column, double cut) {
  for (Column& c : table.columns) {
    if (c.name != column) continue;
    if (!c.is_numeric())
      throw UsageError(
          fmt::format("--cut {}={:g}: {} is not a numeric column", column, cut, column));
    // "<65" sorts before ">=65" ('<' < '>'), so the level order is the order of the values.
    const std::vector<std::string> levels = {fmt::format("<{:g}", cut), fmt::format(">={:g}", cut)};
    c.codes.resize(c.numbers.size());
    for (std::size_t i = 0; i < c.numbers.size(); ++i)
      c.codes[i] = std::isnan(c.numbers[i]) ? -1 : c.numbers[i] < cut ? 0 : 1;
    c.levels = levels;
    c.numbers.clear();
    c.kind = ColumnKind::categorical;
    c.label = fmt::format("{} (cut at {:g})", c.label.empty() ? column : c.label, cut);
    return;
  }
  throw UsageError(fmt::format("--cut {}={:g}: no column {} was read (give it in --subgroups)",
                               column, cut, column));
}

void check_subgroup_column(const Table& table, const SurvData& d, const std::string& column,
                           std::size_t max_levels) {
  const Column& c = table.at(column);
  if (!c.is_numeric()) return;
  std::set<double> values;
  for (std::size_t r : d.row)
    if (!c.is_missing(r)) values.insert(c.numbers[r]);
  if (values.size() <= max_levels) return;
  const auto mid = std::next(values.begin(), static_cast<long>(values.size() / 2));
  throw UsageError(fmt::format(
      "--subgroups {}: a numeric column with {} distinct values is not a subgroup (at most {} "
      "levels); cut it "
      "into two groups with --cut {}=VALUE (levels <VALUE and >=VALUE), e.g. --cut {}={:g}",
      column, values.size(), max_levels, column, column, *mid));
}

InteractionTest interaction_test(const SurvData& d, const std::vector<std::int32_t>& subgroup,
                                 const std::vector<std::string>& levels, const AnalysisOptions& o) {
  InteractionTest out;
  const std::size_t arms = d.group_levels.size();
  std::vector<char> keep(d.size());
  std::vector<char> present(levels.size(), 0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    keep[i] = subgroup[i] >= 0;
    if (keep[i]) present[static_cast<std::size_t>(subgroup[i])] = 1;
  }
  // Levels present, in level order; the first is the reference.
  std::vector<std::int32_t> dense(levels.size(), -1);
  std::vector<std::string> names;
  for (std::size_t l = 0; l < levels.size(); ++l)
    if (present[l]) {
      dense[l] = static_cast<std::int32_t>(names.size());
      names.push_back(levels[l]);
    }
  if (arms < 2 || names.size() < 2) {
    out.note = arms < 2 ? "one arm only" : "one level only";
    return out;
  }
  const SurvData s = detail::select_rows(d, keep);
  std::vector<std::int32_t> sub;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (keep[i]) sub.push_back(dense[static_cast<std::size_t>(subgroup[i])]);

  const std::size_t ka = arms - 1, ls = names.size() - 1;
  const auto n = static_cast<Eigen::Index>(s.size());
  CoxData cd;
  cd.time = s.time;
  cd.start = s.start;
  cd.status = s.status;
  cd.weight = s.weight;
  cd.x = Eigen::MatrixXd::Zero(n, static_cast<Eigen::Index>(ka + ls + ka * ls));
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::int32_t a = s.group[static_cast<std::size_t>(i)],
                       l = sub[static_cast<std::size_t>(i)];
    if (a > 0) cd.x(i, a - 1) = 1;
    if (l > 0) cd.x(i, static_cast<Eigen::Index>(ka) + l - 1) = 1;
    if (a > 0 && l > 0)
      cd.x(i, static_cast<Eigen::Index>(ka + ls + static_cast<std::size_t>(a - 1) * ls +
                                        static_cast<std::size_t>(l - 1))) = 1;
  }
  for (std::size_t a = 1; a < arms; ++a)
    cd.names.push_back(fmt::format("{}[{}]", s.group_name, s.group_levels[a]));
  for (std::size_t l = 1; l < names.size(); ++l)
    cd.names.push_back(fmt::format("sub[{}]", names[l]));
  for (std::size_t a = 1; a < arms; ++a)
    for (std::size_t l = 1; l < names.size(); ++l)
      cd.names.push_back(fmt::format("{}[{}]:sub[{}]", s.group_name, s.group_levels[a], names[l]));
  CoxData cd0 = cd;
  cd0.x = cd.x.leftCols(static_cast<Eigen::Index>(ka + ls));
  cd0.names.resize(ka + ls);

  auto estimable = [](const CoxResult& r) {
    double k = 0;
    for (Eigen::Index j = 0; j < r.coef.size(); ++j) k += std::isfinite(r.coef[j]) ? 1 : 0;
    return k;
  };
  try {
    const CoxOptions co{.ties = o.ties, .conf_level = o.km.conf_level};
    const CoxResult f0 = cox_fit(cd0, co), f1 = cox_fit(cd, co);
    if (!f0.converged || !f1.converged) {
      out.note = "interaction not estimable: a Cox model did not converge";
      return out;
    }
    out.chisq = 2 * (f1.loglik - f0.loglik);
    out.df = estimable(f1) - estimable(f0);
    if (!(out.df > 0)) {
      out = {.note = "interaction not estimable: no interaction term can be estimated"};
      return out;
    }
    out.p = boost::math::cdf(
        boost::math::complement(boost::math::chi_squared(out.df), std::max(out.chisq, 0.0)));
    for (const auto& w : f1.warnings)
      if (w.find("infinite") != std::string::npos)
        out.note = "an interaction coefficient may be infinite (" + w + ")";
  } catch (const NumericalError& e) {
    out.note = fmt::format("interaction not estimable: {}", e.what());
  }
  return out;
}

std::vector<plot::ForestRow> subgroup_block(const SurvData& d, const Table& table,
                                            const std::string& column, const std::string& heading,
                                            const AnalysisOptions& o) {
  const Factor f = make_factor(table.at(column));
  std::vector<std::int32_t> code(d.size(), -1);
  for (std::size_t i = 0; i < d.size(); ++i) code[i] = f.codes[d.row[i]];
  const InteractionTest it = interaction_test(d, code, f.levels, o);
  std::vector<plot::ForestRow> rows;
  rows.push_back({.label = heading,
                  .heading = true,
                  .note = it.note,
                  .p_interaction = it.p,
                  .chisq_interaction = it.chisq,
                  .df_interaction = it.df,
                  .subgroup = column});
  for (std::size_t l = 0; l < f.levels.size(); ++l) {
    std::vector<char> keep(d.size());
    bool any = false;
    for (std::size_t i = 0; i < d.size(); ++i)
      any = (keep[i] = code[i] == static_cast<std::int32_t>(l)) || any;
    if (!any) continue;
    for (auto& r : subgroup_forest_rows(detail::select_rows(d, keep), f.levels[l], 1, o)) {
      r.subgroup = column;
      r.level = f.levels[l];
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

}  // namespace hazard::report
