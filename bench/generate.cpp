// Deterministic benchmark data (issue 6): exponential event times, arms 2:1, five standard normal
// covariates with a true log-HR of 0.1 each (arm: log(0.7)), ~30% censoring by an independent
// exponential censoring time, times rounded to 4 decimals (so that there are ties).
// Optional counting-process shape (--cp): each subject split into (start, stop] rows at follow-up
// visits, as a Nurses' Health Study-like cohort (many rows, rare events, many covariates).
//
// Usage: bench_generate N SEED OUT.csv [--cp P]   (P = number of covariates for --cp)
// The generator uses std::mt19937_64 with explicit, portable transforms (no std::*_distribution,
// whose output differs between standard libraries), so the same SEED gives the same file anywhere.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace {
struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t seed) : g(seed) {}
  double uniform() { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; }  // (0,1)
  double exponential(double rate) { return -std::log(uniform()) / rate; }
  double normal() {  // Box–Muller, one value per call (portable)
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
};
double round4(double x) { return std::round(x * 1e4) / 1e4; }
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s N SEED OUT.csv [--cp P]\n", argv[0]);
    return 2;
  }
  const long long n = std::atoll(argv[1]);
  Rng rng(static_cast<std::uint64_t>(std::atoll(argv[2])));
  std::FILE* out = std::fopen(argv[3], "w");
  if (!out) {
    std::perror(argv[3]);
    return 5;
  }
  int cp = 0;
  if (argc >= 6 && std::strcmp(argv[4], "--cp") == 0) cp = std::atoi(argv[5]);
  static char buf[1 << 20];
  std::setvbuf(out, buf, _IOFBF, sizeof buf);
  if (!cp) {
    std::fputs("id,time,status,arm,x1,x2,x3,x4,x5\n", out);
    for (long long i = 0; i < n; ++i) {
      int arm = rng.uniform() < 2.0 / 3.0 ? 1 : 0;
      double x[5], lp = arm * std::log(0.7);
      for (double& v : x) {
        v = rng.normal();
        lp += 0.1 * v;
      }
      double t = rng.exponential(0.1 * std::exp(lp));
      double c = rng.exponential(0.1 * 0.36);  // gives ~30% censored
      int status = t <= c ? 1 : 0;
      double y = round4(std::max(status ? t : c, 1e-4));
      std::fprintf(out, "%lld,%.4f,%d,%s,%.6f,%.6f,%.6f,%.6f,%.6f\n", i + 1, y, status,
                   arm ? "experimental" : "control", x[0], x[1], x[2], x[3], x[4]);
    }
  } else {
    // Counting process: subjects followed in 2-year cycles for up to 20 years, covariates updated
    // each cycle; event rate tuned so that ~1.7% of rows end in an event (30,677 of 1.83M in the
    // NHS).
    std::fputs("id,start,stop,status", out);
    for (int j = 1; j <= cp; ++j) std::fprintf(out, ",z%d", j);
    std::fputs("\n", out);
    long long rows = 0;
    for (long long id = 1; rows < n; ++id) {
      double start = 0;
      for (int cycle = 0; cycle < 10 && rows < n; ++cycle, ++rows) {
        double z[64], lp = 0;
        for (int j = 0; j < cp && j < 64; ++j) {
          z[j] = (j % 3 == 0) ? (rng.uniform() < 0.3 ? 1.0 : 0.0) : rng.normal();
          lp += 0.05 * z[j];
        }
        double t = rng.exponential(0.0066 * std::exp(lp));
        double stop = start + 2.0;
        int status = 0;
        if (t < 2.0) {
          stop = round4(start + std::max(t, 1e-3));
          status = 1;
        }
        std::fprintf(out, "%lld,%.4f,%.4f,%d", id, start, stop, status);
        for (int j = 0; j < cp && j < 64; ++j) std::fprintf(out, ",%.5g", z[j]);
        std::fputs("\n", out);
        if (status) {
          ++rows;
          break;
        }
        start = stop;
      }
    }
  }
  std::fclose(out);
  return 0;
}
