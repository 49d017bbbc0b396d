// Runs many simulated trials over threads and summarises them.
//
// Workers take chunks of trial indices from an atomic counter; trial i always uses the random
// stream (seed, i) and writes its outcome to slot i, and the summary is computed afterwards in
// trial order, so the result is bit-identical for any number of threads.
// Monte-Carlo SE of the power: sqrt(p (1 - p) / reps). Expected events, patients and duration are
// means over trials of the values at each trial's last analysis (rpact's expectedNumberOfEvents,
// expectedNumberOfSubjects, studyDuration for trials that reach their planned events).
// HR quantiles: R's type 7 (linear interpolation) over the trials' last-analysis estimates.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include "detail.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

double quantile7(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::nan("");
  double h = (static_cast<double>(sorted.size()) - 1) * p;
  auto lo = static_cast<std::size_t>(std::floor(h));
  std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

SimulationResult simulate_trials(const SimulationScenario& s, const SimulationOptions& options) {
  validate_scenario(s);
  if (options.reps == 0) throw UsageError("--reps must be at least 1");
  const detail::ScenarioPlan plan = detail::plan_scenario(s);
  const std::size_t reps = options.reps, K = s.looks.size();
  std::vector<detail::TrialRecord> records(reps);
  std::vector<double> z(reps * K), hr(reps * K), time(reps * K), events(reps * K);

  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, reps));
  constexpr std::size_t chunk = 32;
  std::atomic<std::size_t> next{0}, done{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&]() {
    try {
      detail::TrialWorkspace ws;
      for (;;) {
        std::size_t begin = next.fetch_add(chunk);
        if (begin >= reps) break;
        std::size_t end = std::min(reps, begin + chunk);
        for (std::size_t i = begin; i < end; ++i) {
          detail::generate_patients(s, plan, options.seed, i, ws.patients);
          detail::analyse_trial(s, ws, records[i], &z[i * K], &hr[i * K], &time[i * K],
                                &events[i * K]);
        }
        done.fetch_add(end - begin);
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(reps);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  } catch (const std::system_error&) {
    // A thread could not be started (out of memory): the ones started share the work (they take
    // chunks from `next`); with none, this thread does it. Never a joinable thread destroyed.
    if (pool.empty()) worker();
  }
  if (options.progress) {
    while (done.load() < reps && !error) {
      options.progress(done.load(), reps);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (next.load() >= reps && done.load() >= reps) break;
    }
  }
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
  if (options.progress) options.progress(reps, reps);

  SimulationResult r;
  r.reps = reps;
  r.stagewise_rejection.assign(K, 0.0);
  r.stagewise_futility.assign(K, 0.0);
  r.stop_probability.assign(K, 0.0);
  r.mean_look_time.assign(K, 0.0);
  r.mean_look_events.assign(K, 0.0);
  std::vector<double> reached(K, 0.0);
  std::vector<double> hr_last;
  hr_last.reserve(reps);
  double rejected = 0, not_achieved = 0, sum_events = 0, sum_n = 0, sum_duration = 0;
  for (std::size_t i = 0; i < reps; ++i) {
    const auto& rec = records[i];
    if (rec.stop_look > 0) {
      auto k = static_cast<std::size_t>(rec.stop_look - 1);
      if (rec.reject) r.stagewise_rejection[k] += 1;
      if (rec.futility) r.stagewise_futility[k] += 1;
      r.stop_probability[k] += 1;
    }
    rejected += rec.reject;
    not_achieved += rec.events_not_achieved;
    sum_events += rec.events;
    sum_n += rec.subjects;
    sum_duration += rec.duration;
    if (std::isfinite(rec.hr)) hr_last.push_back(rec.hr);
    for (std::size_t k = 0; k < static_cast<std::size_t>(rec.looks_done); ++k) {
      reached[k] += 1;
      r.mean_look_time[k] += time[i * K + k];
      r.mean_look_events[k] += events[i * K + k];
    }
  }
  const double dr = static_cast<double>(reps);
  for (std::size_t k = 0; k < K; ++k) {
    r.stagewise_rejection[k] /= dr;
    r.stagewise_futility[k] /= dr;
    r.stop_probability[k] /= dr;
    r.mean_look_time[k] = reached[k] > 0 ? r.mean_look_time[k] / reached[k] : std::nan("");
    r.mean_look_events[k] = reached[k] > 0 ? r.mean_look_events[k] / reached[k] : std::nan("");
  }
  r.power = rejected / dr;
  r.mc_se = std::sqrt(r.power * (1 - r.power) / dr);
  r.events_not_achieved = not_achieved / dr;
  r.expected_events = sum_events / dr;
  r.expected_n = sum_n / dr;
  r.expected_duration = sum_duration / dr;
  if (!hr_last.empty()) {
    double mean = 0;
    for (double x : hr_last) mean += x;
    mean /= static_cast<double>(hr_last.size());
    double ss = 0;
    for (double x : hr_last) ss += (x - mean) * (x - mean);
    std::sort(hr_last.begin(), hr_last.end());
    r.hr = Summary{.mean = mean,
                   .sd = hr_last.size() > 1 ? std::sqrt(ss / static_cast<double>(hr_last.size() - 1)) : std::nan(""),
                   .q025 = quantile7(hr_last, 0.025), .q25 = quantile7(hr_last, 0.25),
                   .median = quantile7(hr_last, 0.5), .q75 = quantile7(hr_last, 0.75),
                   .q975 = quantile7(hr_last, 0.975)};
  } else {
    double nan = std::nan("");
    r.hr = Summary{nan, nan, nan, nan, nan, nan, nan};
  }
  if (options.keep_trials) {
    r.trials.resize(reps);
    for (std::size_t i = 0; i < reps; ++i) {
      const auto& rec = records[i];
      auto& o = r.trials[i];
      o = TrialOutcome{.looks_done = rec.looks_done, .stop_look = rec.stop_look, .reject = rec.reject,
                       .futility = rec.futility, .events_not_achieved = rec.events_not_achieved,
                       .events = rec.events, .subjects = rec.subjects, .duration = rec.duration,
                       .z = rec.z, .hr = rec.hr};
      auto b = static_cast<std::ptrdiff_t>(i * K);
      auto e = b + rec.looks_done;
      o.z_look.assign(z.begin() + b, z.begin() + e);
      o.hr_look.assign(hr.begin() + b, hr.begin() + e);
      o.time_look.assign(time.begin() + b, time.begin() + e);
      o.events_look.assign(events.begin() + b, events.begin() + e);
    }
  }
  return r;
}

}  // namespace hazard
