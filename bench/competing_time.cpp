// Times hazard's competing-risks kernels on a CSV with columns time, status (0 = censored, 1, 2),
// arm, x1, x2 (written by bench/competing_bench.sh), the counterpart of the R side of that script:
// the data are read and validated first (untimed), then each task runs REPS times and the best wall
// time is printed, one line per task: "task seconds", then "task.cpu seconds": the best CPU time
// (both threads: the sort runs on two).
//
// Usage: competing_time FILE TASK[,TASK...] [REPS]
// Tasks:
//   cuminc    hazard::cuminc by arm: Aalen-Johansen curves of both causes with Gray's variance,
//             survfit's IJ standard errors and CIs, and Gray's test for each cause
//             (R: cmprsk::cuminc(time, status, arm))
//   finegray  hazard::fine_gray of cause 1 on arm + x1 + x2, crr's variance
//             (R: cmprsk::crr(time, status, cbind(arm, x1, x2)))
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "hazard/competing.hpp"
#include "hazard/read.hpp"
#include "hazard/survdata.hpp"

namespace {

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double last_best_cpu = 0;  // the best CPU time (all threads) of the last best_of

template <class F>
double best_of(int reps, F&& f) {
  double best = 1e300;
  last_best_cpu = 1e300;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = process_cpu_seconds();
    f();
    const double c1 = process_cpu_seconds();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
    last_best_cpu = std::min(last_best_cpu, c1 - c0);
  }
  return best;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t a = 0;
  while (a <= s.size()) {
    const std::size_t b = std::min(s.find(',', a), s.size());
    out.push_back(s.substr(a, b - a));
    a = b + 1;
  }
  return out;
}

volatile double sink = 0;  // keeps results alive

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s FILE TASK[,TASK...] [REPS]\n", argv[0]);
    return 2;
  }
  const std::string file = argv[1];
  const std::vector<std::string> tasks = split(argv[2]);
  const int reps = argc >= 4 ? std::atoi(argv[3]) : 1;
  try {
    const hazard::Table table =
        hazard::read_data(file, {.columns = {"time", "status", "arm", "x1", "x2"}});
    hazard::Roles roles;
    roles.time = "time";
    roles.group = "arm";
    roles.ref = "control";
    roles.covariates = {"x1", "x2"};
    const hazard::CompetingData data = hazard::build_competing_data(table, roles, "status", "0");
    for (const std::string& task : tasks) {
      double s = 0;
      if (task == "cuminc") {
        s = best_of(reps, [&] {
          const hazard::CumincResult r = hazard::cuminc(data);
          sink = sink + r.groups[0].causes[0].estimate.back() + r.tests[0].stat;
        });
      } else if (task == "finegray") {
        const hazard::FineGrayData fg =
            hazard::fine_gray_data(data, table, 0,
                                   {{.column = "arm", .ref = "control", .factor = true},
                                    {.column = "x1"},
                                    {.column = "x2"}});
        s = best_of(reps, [&] {
          const hazard::FineGrayResult r = hazard::fine_gray(fg);
          sink = sink + r.coef[0] + r.var(0, 0);
        });
      } else {
        std::fprintf(stderr, "unknown task %s\n", task.c_str());
        return 2;
      }
      std::printf("%s %.6g\n%s.cpu %.6g\n", task.c_str(), s, task.c_str(), last_best_cpu);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "competing_time: %s\n", e.what());
    return 1;
  }
  return 0;
}
