// The Cox model fit: checks, Newton–Raphson (newton.cpp) on the kernel for the data type and
// tie method, then what R's coxph() and summary.coxph() compute from the fit:
//   * coefficients on the original scale; columns the generalised Cholesky finds aliased get
//     NaN (R's NA) and the warning "X matrix deemed to be singular";
//   * R's warnings: "Ran out of iterations and did not converge", and the monotone-likelihood
//     check |u' V| > toler_inf * |beta| (coxph.fit, coxexact.fit, agexact.fit; agreg.fit uses
//     (1 + |beta|)),
//     reported with the covariate's name;
//   * robust variance (robust=TRUE, a cluster, or non-integer case weights, as coxph):
//     D' D with D = weighted score residuals %*% V summed within cluster (R's dfbeta), and the
//     robust score test from score residuals at beta = 0;
//   * tests: likelihood ratio 2 (l(beta) - l(0)), Wald beta' V^-1 beta (V robust when robust),
//     score u(0)' I(0)^-1 u(0), all on df = number of estimated coefficients;
//   * per term: z = beta / SE (robust SE when robust), p from the normal, HR = exp(beta) and its
//     Wald CI exp(beta +- z_{1-a/2} SE);
//   * Harrell's concordance of the linear predictor (concordance.cpp).
// Times closer than sqrt(machine eps) are merged first, as R's aeqSurv (coxph's timefix).
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "cox/cox_detail.hpp"
#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "util/huge_pages.hpp"
#include "util/time_order.hpp"

namespace hazard {

namespace detail {
double chisq_upper(double stat, double df) {
  if (!(df > 0) || !std::isfinite(stat)) return std::nan("");
  if (stat <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), stat));
}
}  // namespace detail

namespace {

using detail::chisq_upper;
CoxTest make_test(double stat, double df) { return {stat, df, chisq_upper(stat, df)}; }

std::string join_vars(const std::vector<std::size_t>& idx, const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    if (k) s += ", ";
    s += std::to_string(idx[k] + 1);
    if (idx[k] < names.size()) s += " (" + names[idx[k]] + ")";
  }
  return s;
}

}  // namespace

std::string to_string(Ties ties) {
  switch (ties) {
    case Ties::efron:
      return "efron";
    case Ties::breslow:
      return "breslow";
    case Ties::exact:
      return "exact";
  }
  return "efron";
}

namespace detail {

CoxFinish cox_estimates(CoxResult& r, const NewtonResult& nr, const std::vector<double>& scale,
                        const std::vector<double>& means, Scheme scheme,
                        const std::vector<std::string>& in_names, const CoxOptions& opt,
                        const std::function<double(const Eigen::VectorXd&)>& linear_predictor) {
  const std::size_t p = scale.size();
  CoxFinish fin;
  r.iterations = nr.iter;
  r.converged = nr.converged;
  r.rank = nr.rank;
  r.loglik0 = nr.loglik0;
  r.loglik = nr.loglik;
  const auto P = static_cast<Eigen::Index>(p);
  Eigen::VectorXd beta(P), u(P);
  r.var.resize(P, P);
  for (std::size_t i = 0; i < p; ++i) {
    beta[static_cast<Eigen::Index>(i)] = nr.beta[i] * scale[i];
    u[static_cast<Eigen::Index>(i)] = nr.u[i] / scale[i];
    for (std::size_t j = 0; j < p; ++j)
      r.var(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          nr.var[i * p + j] * scale[i] * scale[j];
  }
  r.score_vector = u;
  r.means = Eigen::Map<const Eigen::VectorXd>(means.data(), P);
  std::vector<std::string> names = in_names;
  if (names.empty())
    for (std::size_t j = 0; j < p; ++j)
      names.push_back(std::string(1, 'x').append(std::to_string(j + 1)));

  // aliased columns
  std::vector<bool> sing(p, false);
  if (nr.flag < static_cast<int>(p))
    for (std::size_t j = 0; j < p; ++j)
      sing[j] = r.var(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j)) == 0;

  // the linear predictor of every row (the caller's), and its largest value over all rows
  const double maxlp = linear_predictor(beta);

  // R's warnings. The monotone-likelihood check flags a coefficient whose next Newton step
  // |u' V| is still large: > toler_inf |beta| (coxph.fit, coxexact.fit; > eps too) or
  // > toler_inf (1 + |beta|) (agreg.fit). With SAS's looser convergence the next step is
  // naturally larger, so the check there is |u' V| > 0.01 (1 + |beta|).
  const double toler_inf = opt.toler_inf > 0 ? opt.toler_inf : std::sqrt(opt.eps);
  std::vector<bool> infinite(p, false);  // flagged by the check below: not estimable
  if (opt.max_iter > 1) {
    Eigen::VectorXd infs = (u.transpose() * r.var).transpose().cwiseAbs();
    std::vector<std::size_t> bad;
    for (std::size_t j = 0; j < p; ++j) {
      const auto J = static_cast<Eigen::Index>(j);
      if (sing[j]) continue;
      bool flag;
      if (opt.compat == Compat::sas)
        flag = !std::isfinite(u[J]) || infs[J] > 0.01 * (1 + std::fabs(beta[J]));
      else if (scheme == Scheme::agfit4)
        flag = !std::isfinite(u[J]) || infs[J] > toler_inf * (1 + std::fabs(beta[J]));
      else
        flag =
            !std::isfinite(u[J]) || (infs[J] > opt.eps && infs[J] > toler_inf * std::fabs(beta[J]));
      if (flag) bad.push_back(j);
    }
    // Not estimable: a coefficient R flags after the loglik converged (monotone likelihood), or,
    // when the iterations ran out, a flagged one whose information has collapsed (its SE dwarfs
    // it: the coefficient is running away, not merely short of iterations)
    for (std::size_t j : bad) {
      const auto J = static_cast<Eigen::Index>(j);
      infinite[j] = nr.converged || !(std::sqrt(r.var(J, J)) <= 100 * (1 + std::fabs(beta[J])));
      r.diverged = r.diverged || infinite[j];
    }
    if (!nr.converged) {
      // R adds no variable names here; hazard names the diverging ones in the same warning
      std::string w = "Ran out of iterations and did not converge";
      if (!bad.empty()) w += "; coefficient may be infinite for variable " + join_vars(bad, names);
      r.warnings.push_back(w);
      if (scheme == Scheme::coxfit6) {
        if (maxlp > 500 || !infs.allFinite())
          r.warnings.push_back("one or more coefficients may be infinite");
      }
    } else if (!bad.empty()) {
      r.warnings.push_back("Loglik converged before variable " + join_vars(bad, names) +
                           "; coefficient may be infinite (monotone likelihood)");
    }
  }
  {
    std::vector<std::size_t> bad;
    for (std::size_t j = 0; j < p; ++j)
      if (sing[j] && opt.max_iter > 0) bad.push_back(j);
    if (!bad.empty())
      r.warnings.push_back("X matrix deemed to be singular; variable " + join_vars(bad, names) +
                           ": coefficient not estimable (NA)");
  }
  r.coef = beta;
  for (std::size_t j = 0; j < p; ++j)
    if (sing[j] && opt.max_iter > 0) r.coef[static_cast<Eigen::Index>(j)] = std::nan("");

  for (std::size_t j = 0; j < p; ++j)
    fin.df += std::isnan(r.coef[static_cast<Eigen::Index>(j)]) ? 0 : 1;
  fin.infinite = std::move(infinite);
  fin.names = std::move(names);
  fin.sctest = nr.sctest;
  return fin;
}

void cox_tests_terms(CoxResult& r, const CoxFinish& fin, const CoxOptions& opt) {
  const std::size_t p = fin.names.size();
  const std::size_t df = fin.df;
  const bool robust = r.robust;
  const std::vector<bool>& infinite = fin.infinite;
  const std::vector<std::string>& names = fin.names;
  // tests
  const Eigen::MatrixXd& vuse = (robust && df > 0) ? r.robust_var : r.var;
  {
    std::vector<Eigen::Index> keep;
    for (std::size_t j = 0; j < p; ++j)
      if (!std::isnan(r.coef[static_cast<Eigen::Index>(j)]))
        keep.push_back(static_cast<Eigen::Index>(j));
    Eigen::MatrixXd vk(static_cast<Eigen::Index>(keep.size()),
                       static_cast<Eigen::Index>(keep.size()));
    Eigen::VectorXd bk(static_cast<Eigen::Index>(keep.size()));
    for (std::size_t a = 0; a < keep.size(); ++a) {
      bk[static_cast<Eigen::Index>(a)] = r.coef[keep[a]];
      for (std::size_t b2 = 0; b2 < keep.size(); ++b2)
        vk(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b2)) = vuse(keep[a], keep[b2]);
    }
    const double ddf = static_cast<double>(df);
    r.lr = make_test(2 * (r.loglik - r.loglik0), ddf);
    r.score = make_test(fin.sctest, ddf);
    // the Wald test of a diverged coefficient tests its last iterate (with the naive variance p is
    // near 1, with a robust one near 0): not given
    r.wald = make_test(vk.allFinite() && !r.diverged ? detail::wald_stat(vk, bk, opt.toler_chol)
                                                      : std::nan(""),
                       ddf);
    if (r.diverged)
      r.warnings.push_back(
          "a coefficient runs to infinity: its estimate, SE and p-value, and the Wald test, are "
          "not estimable (NE); the likelihood ratio and score tests stand");
  }

  // coefficient table
  // the upper tail by its complement: 1 - (1 - level) / 2 rounds to 1 for a level within 1e-16 of
  // 1, where the quantile overflows
  const double zq = boost::math::quantile(boost::math::complement(boost::math::normal(), (1 - opt.conf_level) / 2));
  for (std::size_t j = 0; j < p; ++j) {
    const auto J = static_cast<Eigen::Index>(j);
    CoxTerm t;
    t.term = names[j];
    t.coef = r.coef[J];
    const double nan = std::nan("");
    if (std::isnan(t.coef) || infinite[j]) {
      t.estimable = false;
      t.not_estimable = infinite[j] ? "infinite" : "aliased";
      t.coef = t.se = t.robust_se = t.z = t.p = t.hr = t.lower = t.upper = nan;
    } else {
      t.se = std::sqrt(r.var(J, J));
      t.robust_se = (robust && df > 0) ? std::sqrt(r.robust_var(J, J)) : nan;
      const double se = (robust && df > 0) ? t.robust_se : t.se;
      t.z = t.coef / se;
      t.p = chisq_upper(t.z * t.z, 1);
      t.hr = std::exp(t.coef);
      t.lower = std::exp(t.coef - zq * se);
      t.upper = std::exp(t.coef + zq * se);
    }
    r.terms.push_back(t);
  }
}

}  // namespace detail

namespace {

// cox_fit, and with `release` (== &in) cox_fit_releasing: the arrays of `in` are freed once the
// kernel-order copies are made, and the design matrix is consumed by prepare when nothing after
// the fit reads it (right-censored data, no robust variance): the linear predictor then comes from
// the kernel-order copy.
CoxResult fit_impl(const CoxData& in, const CoxOptions& opt, CoxData* release) {
  const std::size_t n = in.time.size();
  const std::size_t p = static_cast<std::size_t>(in.x.cols());
  auto check_len = [&](std::size_t len, const char* what) {
    if (len != 0 && len != n)
      throw UsageError(std::string("cox_fit: ") + what + " has the wrong length");
  };
  if (in.status.size() != n || static_cast<std::size_t>(in.x.rows()) != n)
    throw UsageError("cox_fit: time, status and x must have the same number of rows");
  check_len(in.start.size(), "start");
  check_len(in.weight.size(), "weight");
  check_len(in.offset.size(), "offset");
  check_len(in.stratum.size(), "stratum");
  check_len(in.cluster.size(), "cluster");
  if (p == 0) throw UsageError("cox_fit: the model has no covariates");
  if (n == 0) throw NumericalError("no rows to fit");
  if (!in.names.empty() && in.names.size() != p)
    throw UsageError("cox_fit: names has the wrong length");
  if (opt.max_iter < 0) throw UsageError("--max-iter must be >= 0");
  if (!(opt.eps > 0)) throw UsageError("--eps must be > 0");
  if (!(opt.conf_level > 0 && opt.conf_level < 1))
    throw UsageError("--conf-level must be in (0, 1)");
  for (double w : in.weight)
    if (!(w > 0) || !std::isfinite(w))
      throw UsageError("case weights must be positive and finite for a Cox model (as R's coxph)");
  for (Eigen::Index i = 0; i < in.x.size(); ++i)
    if (!std::isfinite(in.x.data()[i]))
      throw NumericalError("the data contain an infinite or missing covariate value");
  const bool counting = !in.start.empty();
  bool nonint_weights = false;
  for (double w : in.weight)
    if (w != std::floor(w)) nonint_weights = true;
  const bool robust = opt.robust || !in.cluster.empty() || nonint_weights;
  if (opt.ties == Ties::exact) {
    for (double w : in.weight)
      if (w != 1) throw UsageError("case weights are not supported for the exact method (as R)");
    // R's agexact.fit labels its fit "coxph", so coxph's dfbeta step uses Breslow score
    // residuals for (start, stop] data; coxexact.fit's fit has none.
    if (robust && !counting)
      throw UsageError(
          "a robust variance needs score residuals, which are not available for the exact method "
          "with right-censored data (as R)");
  }
  if (robust && counting && in.cluster.empty() && opt.robust)
    throw UsageError(
        "--robust with --start needs --cluster (the subject identifier), as R's coxph");

  // timefix, offset centring
  // a copy of everything but the design matrix (prepare reads in.x directly), the times and the
  // statuses
  CoxData data{.start = in.start,
               .weight = in.weight,
               .offset = in.offset,
               .stratum = in.stratum,
               .cluster = in.cluster,
               .names = in.names};
  // Right-censored data without strata (Efron/Breslow): the kernel order is the ascending order
  // of the times, which timefix needs too; sort once, with the statuses carried along, and hand
  // the rows to prepare, which reads times and statuses from them. When timefix would merge
  // times, the times are copied and merged and prepare sorts again (ties keep R's input order).
  detail::HugeVector<detail::KeyedRow> sorted;
  if (!counting && in.stratum.empty() && opt.ties != Ties::exact) {
    sorted = detail::sort_rows_by_time(in.time, in.status);
    if (detail::aeq_merges(sorted)) detail::HugeVector<detail::KeyedRow>().swap(sorted);
  }
  if (sorted.empty()) {
    detail::reserve_huge(data.time, n);  // fresh storage on huge pages, then the copy
    data.time.assign(in.time.begin(), in.time.end());
    data.status = in.status;
    detail::aeq_surv(data.time, data.start);
  }
  if (counting)
    for (std::size_t i = 0; i < n; ++i)
      if (!(data.start[i] < data.time[i]))
        throw DataError(
            {}, "an interval (start, stop] has zero length once nearly equal times are merged");
  double events = 0;
  for (auto s : in.status) events += s ? 1 : 0;
  if (events == 0) throw NumericalError("no events: a Cox model cannot be fitted");
  if (!data.offset.empty()) {
    bool any = false;
    double mean = 0;
    for (double o : data.offset) {
      if (!std::isfinite(o) || !std::isfinite(std::exp(o)))
        throw NumericalError("offsets must lead to a finite risk score");
      any = any || o != 0;
      mean += o;
    }
    mean /= static_cast<double>(n);
    if (any)
      for (double& o : data.offset) o -= mean;
    else
      data.offset.clear();
  }

  // consumed: in.x is emptied here (the robust variance and (start, stop] data read it below)
  const bool consume = release != nullptr && !counting && !robust;
  if (release) {  // read: from here on the fit reads `data`, the sorted rows and x, cluster, names
    CoxData& rel = *release;
    decltype(rel.time)().swap(rel.time);
    decltype(rel.start)().swap(rel.start);
    decltype(rel.status)().swap(rel.status);
    decltype(rel.weight)().swap(rel.weight);
    decltype(rel.offset)().swap(rel.offset);
    decltype(rel.stratum)().swap(rel.stratum);
  }
  detail::CoxSorted d = detail::prepare(data, opt.ties, &in.x, sorted.empty() ? nullptr : &sorted,
                                        consume ? &release->x : nullptr);
  // the fit reads the kernel-order copies from here on; only the centred offsets are read again
  // (the linear predictor), so the rest of the copy is released
  data = CoxData{.offset = std::move(data.offset)};
  detail::HugeVector<detail::KeyedRow>().swap(sorted);
  detail::Scheme scheme = detail::Scheme::coxfit6;
  detail::CoxEval eval;
  detail::CoxfitWork cwork;
  const bool efron = opt.ties == Ties::efron;
  if (opt.ties == Ties::exact && counting) {
    scheme = detail::Scheme::agexact;
    eval = [&](const double* b, double* u, double* im) {
      return detail::agexact_eval(d, b, u, im);
    };
  } else if (opt.ties == Ties::exact) {
    scheme = detail::Scheme::coxexact;
    eval = [&](const double* b, double* u, double* im) { return detail::exact_eval(d, b, u, im); };
  } else if (counting) {
    scheme = detail::Scheme::agfit4;
    eval = [&](const double* b, double* u, double* im) {
      return detail::agfit_eval(d, efron, b, u, im);
    };
  } else {
    cwork = detail::coxfit_work(d);  // the event times once, scratch reused by every iteration
    eval = [&](const double* b, double* u, double* im) {
      return detail::coxfit_eval(d, cwork, efron, b, u, im);
    };
  }
  detail::NewtonResult nr = detail::newton(scheme, eval, p, opt);
  // the kernel-order copy of the covariates and the Newton scratch are not needed any more (the
  // residuals below read in.x; consumed, the linear predictor reads the copy first)
  if (!consume) d.x = decltype(d.x)();
  cwork = detail::CoxfitWork{};
  if (!std::isfinite(nr.loglik0)) {
    if (opt.ties == Ties::exact)
      throw NumericalError(
          "the exact partial likelihood overflows at beta = 0: too many tied events at one time "
          "for --ties exact; use --ties efron or breslow");
    throw NumericalError("the log partial likelihood is not finite at beta = 0 (exp overflow)");
  }

  CoxResult r;
  r.n = n;
  r.events = events;
  r.ties = opt.ties;
  r.compat = opt.compat;
  r.robust = robust;
  const detail::CoxFinish fin = detail::cox_estimates(
      r, nr, d.scale, d.means, scheme, in.names, opt, [&](const Eigen::VectorXd& beta) {
        detail::resize_huge(r.linear_predictor, n);
        if (consume) {
          // from the centred and scaled kernel-order copy: offset + (x - means) beta, equal to
          // the form below up to rounding
          for (std::size_t k = 0; k < n; ++k) {
            double lp = data.offset.empty() ? 0.0 : data.offset[d.order[k]];
            for (std::size_t j = 0; j < p; ++j) lp += d.x[k * p + j] * nr.beta[j];
            r.linear_predictor[d.order[k]] = lp;
          }
          return *std::max_element(r.linear_predictor.begin(), r.linear_predictor.end());
        }
        // linear predictor (input order), as coxph.fit: x beta + offset - sum(beta * means)
        const double shift = beta.dot(r.means);
        for (std::size_t i = 0; i < n; ++i) {
          double lp = data.offset.empty() ? 0.0 : data.offset[i];
          for (std::size_t j = 0; j < p; ++j)
            lp += in.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) *
                  beta[static_cast<Eigen::Index>(j)];
          r.linear_predictor[i] = lp - shift;
        }
        return *std::max_element(r.linear_predictor.begin(), r.linear_predictor.end());
      });
  if (consume) d.x = decltype(d.x)();
  const auto P = static_cast<Eigen::Index>(p);

  // cluster codes in kernel order
  std::vector<std::int32_t> clus;
  if (!in.cluster.empty()) {
    std::vector<std::int32_t> u2(in.cluster);
    std::sort(u2.begin(), u2.end());
    u2.erase(std::unique(u2.begin(), u2.end()), u2.end());
    clus.resize(n);
    for (std::size_t k = 0; k < n; ++k)
      clus[k] = static_cast<std::int32_t>(
          std::lower_bound(u2.begin(), u2.end(), in.cluster[d.order[k]]) - u2.begin());
  }

  // robust variance
  const std::size_t df = fin.df;
  if (robust && df > 0) {
    std::vector<double> x0(n * p), risk(n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = d.order[k];
      for (std::size_t j = 0; j < p; ++j)
        x0[k * p + j] = in.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      risk[k] = std::exp(r.linear_predictor[i]);
    }
    const std::size_t ncl =
        clus.empty() ? n
                     : static_cast<std::size_t>(*std::max_element(clus.begin(), clus.end()) + 1);
    auto collapse = [&](const std::vector<double>& res) {
      Eigen::MatrixXd m = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(ncl), P);
      for (std::size_t k = 0; k < n; ++k) {
        const auto row =
            static_cast<Eigen::Index>(clus.empty() ? k : static_cast<std::size_t>(clus[k]));
        for (std::size_t j = 0; j < p; ++j)
          m(row, static_cast<Eigen::Index>(j)) += d.weight[k] * res[k * p + j];
      }
      return m;
    };
    Eigen::MatrixXd sc = collapse(detail::score_residuals(d, x0, risk, efron));
    Eigen::MatrixXd dfb = sc * r.var;
    r.robust_var = dfb.transpose() * dfb;
    std::fill(risk.begin(), risk.end(), 1.0);  // at beta = 0 (R sets the linear predictor to 0)
    Eigen::MatrixXd sc0 = collapse(detail::score_residuals(d, x0, risk, efron));
    Eigen::VectorXd u0 = sc0.colwise().sum().transpose();
    r.robust_score = make_test(detail::wald_stat(sc0.transpose() * sc0, u0, opt.toler_chol),
                               static_cast<double>(df));
  }

  detail::cox_tests_terms(r, fin, opt);

  // concordance of the linear predictor (read in kernel order through d.order)
  r.concordance =
      detail::concordance(d, r.linear_predictor, robust ? clus : std::vector<std::int32_t>{});
  return r;
}

}  // namespace

CoxResult cox_fit(const CoxData& in, const CoxOptions& opt) { return fit_impl(in, opt, nullptr); }

CoxResult cox_fit_releasing(CoxData& in, const CoxOptions& opt) {
  CoxResult r = fit_impl(in, opt, &in);
  in = CoxData{};
  return r;
}

}  // namespace hazard
