// Joint tests per model term (Type 3, as SAS PHREG's TYPE3 tests and car::Anova(type = 3)):
//   Wald: W = b_T' V_TT^-1 b_T on the term's estimable coefficients b_T, V the fit's variance (the
//         robust one when the fit is robust), chi-square on dim(b_T) df (generalised inverse as
//         coxph.wtest);
//   LR:   2 (l(beta_hat) - l(beta_hat without T)), the second from the model refitted without the
//         term's columns (same rows, strata, weights, offset, ties and convergence rule; beta = 0
//         when nothing is left), chi-square on the number of estimable columns that go.
// A coefficient that runs to infinity makes its term's Wald test NaN (it would test the last
// iterate); the LR test stands. References: tests/reference/cox/make_interactions.R (R computes
// both by hand: car is not installed).
#include <cmath>
#include <string>
#include <vector>

#include "cox/cox_detail.hpp"
#include "hazard/error.hpp"
#include "hazard/cox.hpp"

namespace hazard {

std::vector<CoxTermTest> cox_term_tests(const CoxData& data, const CoxResult& fit,
                                        const std::vector<std::size_t>& term,
                                        const std::vector<std::string>& term_names,
                                        const CoxOptions& options,
                                        const std::vector<std::size_t>& only, const Cluster* cluster) {
  const auto p = static_cast<std::size_t>(fit.coef.size());
  if (term.size() != p) throw UsageError("cox_term_tests: one term index per model column");
  const Eigen::MatrixXd& v = fit.robust && fit.robust_var.size() ? fit.robust_var : fit.var;
  auto estimated = [&](std::size_t j) { return !std::isnan(fit.coef[static_cast<Eigen::Index>(j)]); };
  std::size_t df_full = 0;
  for (std::size_t j = 0; j < p; ++j) df_full += estimated(j) ? 1 : 0;

  std::vector<CoxTermTest> out;
  std::vector<std::size_t> which = only;
  if (which.empty())
    for (std::size_t t = 0; t < term_names.size(); ++t) which.push_back(t);
  for (std::size_t t : which) {
    CoxTermTest r;
    r.term = term_names[t];
    std::vector<Eigen::Index> cols, keep;  // the term's estimable columns; the other columns
    bool diverged = false;
    for (std::size_t j = 0; j < p; ++j) {
      if (term[j] != t) {
        keep.push_back(static_cast<Eigen::Index>(j));
      } else if (estimated(j)) {
        cols.push_back(static_cast<Eigen::Index>(j));
        diverged = diverged || (j < fit.terms.size() && fit.terms[j].not_estimable == "infinite");
      }
    }
    const auto k = static_cast<Eigen::Index>(cols.size());
    const double df = static_cast<double>(k);
    // Wald
    Eigen::VectorXd b(k);
    Eigen::MatrixXd vt(k, k);
    for (Eigen::Index a = 0; a < k; ++a) {
      b[a] = fit.coef[cols[static_cast<std::size_t>(a)]];
      for (Eigen::Index c = 0; c < k; ++c) vt(a, c) = v(cols[static_cast<std::size_t>(a)], cols[static_cast<std::size_t>(c)]);
    }
    const double w = k > 0 && !diverged && vt.allFinite() ? detail::wald_stat(vt, b, options.toler_chol) : std::nan("");
    r.wald = {w, df, detail::chisq_upper(w, df)};
    // LR: the model without the term's columns
    double loglik_reduced = fit.loglik0;
    double df_lr = df;
    if (!keep.empty() && k > 0) {
      CoxData reduced{.time = data.time, .start = data.start, .status = data.status, .weight = data.weight,
                      .offset = data.offset, .stratum = data.stratum};
      reduced.x.resize(data.x.rows(), static_cast<Eigen::Index>(keep.size()));
      for (std::size_t c = 0; c < keep.size(); ++c) {
        reduced.x.col(static_cast<Eigen::Index>(c)) = data.x.col(keep[c]);
        if (!data.names.empty()) reduced.names.push_back(data.names[static_cast<std::size_t>(keep[c])]);
      }
      CoxOptions o = options;
      o.robust = false;  // only the log-likelihood is needed
      // the data of a distributed fit are this rank's rows: the reduced model is fitted over the ranks
      const CoxResult rf = cluster ? cox_fit_distributed(reduced, o, *cluster) : cox_fit(reduced, o);
      loglik_reduced = rf.loglik;
      std::size_t df_reduced = 0;
      for (Eigen::Index j = 0; j < rf.coef.size(); ++j) df_reduced += std::isnan(rf.coef[j]) ? 0 : 1;
      df_lr = static_cast<double>(df_full - df_reduced);
    }
    const double lr = k > 0 ? 2 * (fit.loglik - loglik_reduced) : std::nan("");
    r.lr = {lr, df_lr, detail::chisq_upper(lr, df_lr)};
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace hazard
