// Google Benchmark micro-benchmarks of hazard's kernels through the public API (issue 6): CSV
// parsing (bytes/s, one and two threads), the Kaplan–Meier curve, and the Cox fit (Efron, p = 6,
// right-censored). Data are generated in memory with the shape of bench_generate's files
// (exponential times rounded to 4 decimals, arms 2:1, five normal covariates, ~30% censored).
// The log-rank kernel has its own file (logrank_bench.cpp).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/csv.hpp"
#include "hazard/km.hpp"

namespace {

struct Rows {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  Eigen::MatrixXd x;  // arm, x1..x5
};

Rows make_rows(std::size_t n) {
  std::mt19937_64 g(7);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  Rows r;
  r.x.resize(static_cast<Eigen::Index>(n), 6);
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    const double arm = u() < 2.0 / 3.0 ? 1.0 : 0.0;
    double lp = arm * std::log(0.7);
    r.x(row, 0) = arm;
    for (Eigen::Index j = 1; j < 6; ++j) {
      const double z = std::sqrt(-2.0 * std::log(u())) * std::cos(6.283185307179586 * u());
      r.x(row, j) = z;
      lp += 0.1 * z;
    }
    const double t = -std::log(u()) / (0.1 * std::exp(lp)), c = -std::log(u()) / 0.036;
    r.time.push_back(std::max(std::round(std::min(t, c) * 1e4) / 1e4, 1e-4));
    r.status.push_back(t <= c ? 1 : 0);
  }
  return r;
}

std::string make_csv(std::size_t n) {
  const Rows r = make_rows(n);
  std::string s = "id,time,status,arm,x1,x2,x3,x4,x5\n";
  char line[256];
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    const int len =
        std::snprintf(line, sizeof line, "%zu,%.4f,%d,%s,%.6f,%.6f,%.6f,%.6f,%.6f\n", i + 1,
                      r.time[i], r.status[i], r.x(row, 0) > 0 ? "experimental" : "control",
                      r.x(row, 1), r.x(row, 2), r.x(row, 3), r.x(row, 4), r.x(row, 5));
    s.append(line, static_cast<std::size_t>(len));
  }
  return s;
}

void BM_csv_parse(benchmark::State& state) {
  const std::string text = make_csv(static_cast<std::size_t>(state.range(0)));
  const hazard::CsvOptions options{
      .columns = {"time", "status", "arm", "x1", "x2", "x3", "x4", "x5"},
      .threads = static_cast<std::size_t>(state.range(1))};
  for (auto _ : state) {
    hazard::Table t = hazard::parse_csv(text, "bench.csv", options);
    benchmark::DoNotOptimize(t.n_rows);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_km_curve(benchmark::State& state) {
  const Rows r = make_rows(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    hazard::KmCurve c = hazard::km_curve(r.time, r.status);
    benchmark::DoNotOptimize(c.surv.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_cox_efron(benchmark::State& state) {
  const Rows r = make_rows(static_cast<std::size_t>(state.range(0)));
  const auto p = static_cast<Eigen::Index>(state.range(1));
  hazard::CoxData d{.time = r.time, .status = r.status, .x = r.x.leftCols(p)};
  static const char* const names[] = {"arm", "x1", "x2", "x3", "x4", "x5"};
  for (Eigen::Index j = 0; j < p; ++j) d.names.emplace_back(names[j]);
  for (auto _ : state) {
    hazard::CoxResult fit = hazard::cox_fit(d);
    benchmark::DoNotOptimize(fit.coef.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(BM_csv_parse)
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_km_curve)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cox_efron)
    ->Args({100000, 1})
    ->Args({100000, 6})
    ->Args({1000000, 6})
    ->Unit(benchmark::kMillisecond);
