// Times hazard's C++ API on a benchmark CSV (written by bench_generate), the counterpart of
// bench/r_bench.R: the data are read and prepared first (untimed, except for the "read" task), then
// each task is run REPS times and the best time is printed, one line per task: "task seconds".
//
// Usage: api_time FILE TASK[,TASK...] [REPS] [THREADS]
// Tasks (same models as r_bench.R):
//   read      read_data of the columns the Cox model uses (memory-mapped CSV, both cores)
//   readall   read_data of every column of FILE, alone (any CSV; bench/read_path.sh: MB/s)
//   survfit   kaplan_meier by arm (curves, Greenwood SE, log-log CI, quantiles)
//   survdiff  log-rank test by arm
//   cox6      cox_fit Efron, arm + x1..x5
//   cox1      cox_fit Efron, arm
//   coxcp     cox_fit Efron on (start, stop] rows, every z column
//   coxmodel6 cox_model_data + cox_fit from the table in memory (arm + x1..x5): the library calls
//             the R and Python packages make (bench/bindings.sh)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/cox_model.hpp"
#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/read.hpp"
#include "hazard/survdata.hpp"

namespace {

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The best CPU time (all threads) of the last best_of, printed as "TASK.cpu SECONDS" when
// HAZARD_BENCH_CPU is set (bench/bindings.sh: on a busy machine CPU time moves less than wall time).
double last_best_cpu = 0;

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

// Keeps results alive so that the optimiser cannot drop the work.
volatile double sink = 0;

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
    if (tasks.size() == 1 && tasks[0] == "readall") {
      std::size_t rows = 0;
      const double t = best_of(reps, [&] { rows = hazard::read_data(file, {}).rows(); });
      sink = static_cast<double>(rows);
      std::printf("readall %.6g\n", t);
      return 0;
    }
    const bool cp = std::find(tasks.begin(), tasks.end(), "coxcp") != tasks.end();
    std::vector<std::string> columns;
    if (cp) {
      columns = {"start", "stop", "status"};
    } else {
      columns = {"time", "status", "arm", "x1", "x2", "x3", "x4", "x5"};
    }
    hazard::Table table;
    if (cp) {
      // every z column: read the header line
      std::FILE* f = std::fopen(file.c_str(), "r");
      if (!f) throw std::runtime_error("cannot open " + file);
      char line[8192];
      if (!std::fgets(line, sizeof line, f)) throw std::runtime_error("empty file " + file);
      std::fclose(f);
      for (const std::string& c : split(line)) {
        std::string name = c;
        while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
        if (!name.empty() && name[0] == 'z') columns.push_back(name);
      }
    }
    const double t_read =
        best_of(reps, [&] { table = hazard::read_data(file, {.columns = columns}); });

    hazard::Roles roles;
    roles.time = cp ? "stop" : "time";
    roles.start = cp ? "start" : "";
    roles.event = "status";
    if (!cp) {
      roles.group = "arm";
      roles.ref = "control";
    }
    const hazard::SurvData sd = hazard::build_surv_data(table, roles);
    const std::size_t n = sd.size();

    auto cox_data = [&](const std::vector<std::string>& covs, bool arm) {
      hazard::CoxData cd;
      cd.time = sd.time;
      cd.start = sd.start;
      cd.status = sd.status;
      const auto p = static_cast<Eigen::Index>(covs.size() + (arm ? 1 : 0));
      cd.x.resize(static_cast<Eigen::Index>(n), p);
      Eigen::Index j = 0;
      if (arm) {
        for (std::size_t i = 0; i < n; ++i)
          cd.x(static_cast<Eigen::Index>(i), j) = sd.group[i] == 1 ? 1.0 : 0.0;
        cd.names.push_back("arm[experimental]");
        ++j;
      }
      for (const std::string& c : covs) {
        const hazard::Column& col = table.at(c);
        for (std::size_t i = 0; i < n; ++i)
          cd.x(static_cast<Eigen::Index>(i), j) = col.numbers[sd.row[i]];
        cd.names.push_back(c);
        ++j;
      }
      return cd;
    };

    for (const std::string& task : tasks) {
      double s = 0;
      if (task == "read") {
        s = t_read;
      } else if (task == "survfit") {
        s = best_of(reps, [&] {
          const hazard::KmResult r = hazard::kaplan_meier(sd);
          sink = sink + r.groups[0].median.estimate;
        });
      } else if (task == "survfit_summary") {
        // as the km command: the summaries without the curves (KmOptions::keep_curve = false)
        hazard::KmOptions o;
        o.keep_curve = false;
        s = best_of(reps, [&] {
          const hazard::KmResult r = hazard::kaplan_meier(sd, o);
          sink = sink + r.groups[0].median.estimate;
        });
      } else if (task == "survdiff") {
        s = best_of(reps, [&] {
          const hazard::LogrankResult r = hazard::logrank(sd);
          sink = sink + r.test.chisq;
        });
      } else if (task == "cox6" || task == "cox1") {
        const hazard::CoxData cd =
            cox_data(task == "cox6" ? std::vector<std::string>{"x1", "x2", "x3", "x4", "x5"}
                                    : std::vector<std::string>{},
                     true);
        s = best_of(reps, [&] {
          const hazard::CoxResult r = hazard::cox_fit(cd);
          sink = sink + r.coef[0];
        });
      } else if (task == "coxcp") {
        std::vector<std::string> zs(columns.begin() + 3, columns.end());
        const hazard::CoxData cd = cox_data(zs, false);
        s = best_of(reps, [&] {
          const hazard::CoxResult r = hazard::cox_fit(cd);
          sink = sink + r.coef[0];
        });
      } else if (task == "coxmodel6") {
        // what the R and Python packages call: the model's data from a table in memory
        // (cox_model_data: validated rows, arm indicators, design) and the fit
        const hazard::CoxModelSpec spec{
            .roles = roles,
            .covariates = {{.column = "x1"}, {.column = "x2"}, {.column = "x3"}, {.column = "x4"}, {.column = "x5"}}};
        s = best_of(reps, [&] {
          const hazard::CoxModelData m = hazard::cox_model_data(table, spec);
          const hazard::CoxResult r = hazard::cox_fit(m.model);
          sink = sink + r.coef[0];
        });
      } else {
        std::fprintf(stderr, "unknown task %s\n", task.c_str());
        return 2;
      }
      std::printf("%s %.6g\n", task.c_str(), s);
      if (std::getenv("HAZARD_BENCH_CPU") && task != "read") std::printf("%s.cpu %.6g\n", task.c_str(), last_best_cpu);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "api_time: %s\n", e.what());
    return 1;
  }
  return 0;
}
