// Micro-benchmarks of the log-rank kernel (hazard::logrank_stats + logrank_test): a large
// stratified data set (radix-sort path) and a simulated trial of a few hundred patients (the trial
// simulator's inner loop, std::sort path, workspace reused).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "hazard/logrank.hpp"

namespace {

struct Data {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> group, stratum;
};

Data make(std::size_t n, int strata) {
  std::mt19937_64 g(42);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  Data d;
  for (std::size_t i = 0; i < n; ++i) {
    const auto arm = static_cast<std::int32_t>(i % 2);
    const double ev = -std::log(u()) / (arm ? 0.07 : 0.1), ce = 30.0 * u();
    d.time.push_back(std::round(std::min(ev, ce) * 1e4) / 1e4);
    d.status.push_back(ev <= ce ? 1 : 0);
    d.group.push_back(arm);
    d.stratum.push_back(static_cast<std::int32_t>((i / 2) % static_cast<std::size_t>(strata)));
  }
  return d;
}

void run(benchmark::State& state, const hazard::LogrankOptions& options) {
  const Data d = make(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
  hazard::LogrankWorkspace ws;
  hazard::LogrankStats out;
  for (auto _ : state) {
    hazard::logrank_stats(
        {.time = d.time, .status = d.status, .group = d.group, .stratum = d.stratum}, options, out,
        ws);
    benchmark::DoNotOptimize(hazard::logrank_test(out));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_logrank(benchmark::State& state) { run(state, {}); }
void BM_fleming_harrington(benchmark::State& state) { run(state, {.rho = 0.0, .gamma = 1.0}); }

}  // namespace

BENCHMARK(BM_logrank)
    ->Args({600, 1})
    ->Args({100000, 4})
    ->Args({1000000, 4})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_fleming_harrington)->Args({600, 1})->Args({1000000, 4})->Unit(benchmark::kMicrosecond);
