// Generalised Cholesky decomposition, solve and inverse, with R survival's conventions
// (cholesky2.c, chsolve2.c, chinv2.c): the matrix is factored as L D L' with unit lower L;
// a pivot below toler * (largest diagonal) is set to 0 and its column is treated as aliased
// (solve gives 0 there, the inverse has a zero row and column). This is how coxph detects
// singular designs and returns NA coefficients instead of failing.
//
// Layout: dense row-major n x n, m[i * n + j] is R's matrix[i][j]. cholesky2 reads the upper
// triangle (j > i) and leaves L below the diagonal and D on it.
#include <cmath>
#include <vector>

#include "cox/cox_detail.hpp"

namespace hazard::detail {

int cholesky2(double* m, int n, double toler) {
  auto at = [&](int i, int j) -> double& { return m[i * n + j]; };
  double eps = 0;
  bool nonneg = true;
  for (int i = 0; i < n; ++i) {
    if (at(i, i) > eps) eps = at(i, i);
    for (int j = i + 1; j < n; ++j) at(j, i) = at(i, j);
  }
  eps = (eps == 0) ? toler : eps * toler;
  int rank = 0;
  for (int i = 0; i < n; ++i) {
    double pivot = at(i, i);
    if (!std::isfinite(pivot) || pivot < eps) {
      at(i, i) = 0;
      if (pivot < -8 * eps) nonneg = false;
    } else {
      ++rank;
      for (int j = i + 1; j < n; ++j) {
        double temp = at(j, i) / pivot;
        at(j, i) = temp;
        at(j, j) -= temp * temp * pivot;
        for (int k = j + 1; k < n; ++k) at(k, j) -= temp * at(k, i);
      }
    }
  }
  return nonneg ? rank : -rank;
}

void chsolve2(const double* m, int n, double* y) {
  auto at = [&](int i, int j) { return m[i * n + j]; };
  for (int i = 0; i < n; ++i) {  // solve L b = y
    double temp = y[i];
    for (int j = 0; j < i; ++j) temp -= y[j] * at(i, j);
    y[i] = temp;
  }
  for (int i = n - 1; i >= 0; --i) {  // solve D L' z = b
    if (at(i, i) == 0) {
      y[i] = 0;
    } else {
      double temp = y[i] / at(i, i);
      for (int j = i + 1; j < n; ++j) temp -= y[j] * at(j, i);
      y[i] = temp;
    }
  }
}

void chinv2(double* m, int n) {
  auto at = [&](int i, int j) -> double& { return m[i * n + j]; };
  // invert the Cholesky factor in the lower triangle (unit diagonal of L), and D
  for (int i = 0; i < n; ++i) {
    if (at(i, i) > 0) {
      at(i, i) = 1 / at(i, i);
      for (int j = i + 1; j < n; ++j) {
        at(j, i) = -at(j, i);
        for (int k = 0; k < i; ++k) at(j, k) += at(j, i) * at(i, k);
      }
    }
  }
  // F' D F gives the inverse of the original matrix, in the upper triangle
  for (int i = 0; i < n; ++i) {
    if (at(i, i) == 0) {  // aliased column: zero row and column
      for (int j = 0; j < i; ++j) at(j, i) = 0;
      for (int j = i; j < n; ++j) at(i, j) = 0;
    } else {
      for (int j = i + 1; j < n; ++j) {
        double temp = at(j, i) * at(j, j);
        at(i, j) = temp;
        for (int k = i; k < j; ++k) at(i, k) += temp * at(j, k);
      }
    }
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < i; ++j) at(i, j) = at(j, i);
}

double wald_stat(const Eigen::MatrixXd& v, const Eigen::VectorXd& b, double toler) {
  const int n = static_cast<int>(b.size());
  if (n == 0) return 0;
  std::vector<double> m(static_cast<std::size_t>(n) * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m[i * n + j] = v(i, j);
  std::vector<double> s(b.data(), b.data() + n);
  cholesky2(m.data(), n, toler);
  chsolve2(m.data(), n, s.data());
  double stat = 0;
  for (int i = 0; i < n; ++i) stat += b[i] * s[i];
  return stat;
}

}  // namespace hazard::detail
