// Runs many simulated trials over threads and summarises them.
//
// Workers take chunks of trial indices in order; trial i always uses the random stream (seed, i),
// so its outcome does not depend on the thread that runs it. Each chunk's outcomes go to a slot of
// a small ring buffer, and completed chunks are folded into running sums strictly in trial order
// (by whichever worker completes the lowest pending chunk), so every sum is added in the same
// order for any number of threads: the result is bit-identical for any thread count, and memory
// does not grow with the number of trials (a worker waits when it runs a ring's length ahead of
// the fold). Only --trials-out (keep_trials) keeps one outcome per trial.
// Monte-Carlo SE of the power: sqrt(p (1 - p) / reps). Expected events, patients and duration are
// means over trials of the values at each trial's last analysis (rpact's expectedNumberOfEvents,
// expectedNumberOfSubjects, studyDuration for trials that reach their planned events).
// The HR summary (mean, SD, R's type-7 quantiles over the trials' last-analysis estimates) comes
// from a StreamSummary: exact in bounded memory; in the rare case its windows miss a quantile, the
// trials are simulated again (same streams, same values) to find it.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>

#include <fmt/format.h>

#include "detail.hpp"
#include "hazard/cluster.hpp"
#include "hazard/error.hpp"
#include "simulate/stream_summary.hpp"

namespace hazard {

namespace {

constexpr std::size_t kChunk = 32;  // trials per work unit

/// The outcomes of one chunk of trials.
struct ChunkSlot {
  std::vector<detail::TrialRecord> records;
  std::vector<double> z, hr, time, events;  // kChunk x K
  bool ready = false;
};

/// Simulates trials 0..reps-1 over threads (and over the ranks of options.cluster) and calls
/// fold(i, record, z, hr, time, events) for each trial, in trial order, one call at a time, on the
/// calling thread (z... point to the trial's K values per look). On a cluster of N ranks, chunk c
/// (trials c*kChunk to (c+1)*kChunk - 1) is simulated by rank c mod N; ranks other than 0 send
/// each chunk's outcomes to rank 0, which folds every chunk in order (its own from its threads,
/// the others as they arrive), so the folds, and the results, are bit-identical for any number of
/// ranks and threads. On ranks other than 0, fold is never called.
/// progress(done, total) is called from the calling thread about every 0.1 s (rank 0).
template <class Fold>
void run_in_order(const SimulationScenario& s, const detail::ScenarioPlan& plan,
                  const SimulationOptions& options, Fold&& fold) {
  const Cluster& cluster = options.cluster ? *options.cluster : single_process();
  const auto rank = static_cast<std::size_t>(cluster.rank());
  const auto ranks = static_cast<std::size_t>(cluster.size());
  const std::size_t reps = options.reps, K = s.looks.size();
  const std::size_t chunks = (reps + kChunk - 1) / kChunk;
  // this rank's chunks: rank, rank + ranks, ... (local index l is chunk l * ranks + rank)
  const std::size_t mine = chunks > rank ? (chunks - rank + ranks - 1) / ranks : 0;
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, mine)));
  const std::size_t ring_size = 4 * static_cast<std::size_t>(threads);
  auto make_slot = [&](ChunkSlot& slot) {
    slot.records.resize(kChunk);
    slot.z.resize(kChunk * K);
    slot.hr.resize(kChunk * K);
    slot.time.resize(kChunk * K);
    slot.events.resize(kChunk * K);
  };
  std::vector<ChunkSlot> ring(ring_size);
  for (auto& slot : ring) make_slot(slot);
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t next = 0, drained = 0;  // local chunks handed out, local chunks taken by the drain
  std::exception_ptr error;
  // Simulates this rank's local chunk l (global chunk l * ranks + rank) into its ring slot.
  auto simulate_chunk = [&](detail::TrialWorkspace& ws, std::size_t l) -> ChunkSlot& {
    ChunkSlot& slot = ring[l % ring_size];
    const std::size_t begin = (l * ranks + rank) * kChunk, end = std::min(reps, begin + kChunk);
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t j = i - begin;
      detail::generate_patients(s, plan, options.seed, i, ws.patients);
      detail::analyse_trial(s, ws, slot.records[j], &slot.z[j * K], &slot.hr[j * K], &slot.time[j * K],
                            &slot.events[j * K]);
    }
    return slot;
  };
  auto worker = [&]() {
    try {
      detail::TrialWorkspace ws;
      for (;;) {
        std::size_t l;
        {
          std::unique_lock lock(mutex);
          cv.wait(lock, [&] { return error || next >= mine || next < drained + ring_size; });
          if (error || next >= mine) return;
          l = next++;
        }
        // the slot is ours: local chunk l - ring_size has been drained
        ChunkSlot& slot = simulate_chunk(ws, l);
        {
          std::lock_guard lock(mutex);
          slot.ready = true;
        }
        cv.notify_all();
      }
    } catch (...) {
      {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  bool started = true;
  try {
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  } catch (...) {
    // A thread could not be started (out of memory for its stack, std::system_error, or for its
    // state, std::bad_alloc): the ones started share the work; with none,
    // this thread simulates each chunk itself when the drain needs it (below).
    started = !pool.empty();
  }
  auto join = [&] {
    {
      std::lock_guard lock(mutex);
      if (!error) error = std::make_exception_ptr(std::runtime_error("stopped"));
    }
    cv.notify_all();
    for (auto& th : pool) th.join();
  };
  // The drain: takes this rank's chunks in order (waiting for the workers), and either folds them
  // (rank 0, with the other ranks' chunks received in between) or sends them to rank 0.
  std::size_t done = 0;
  auto last_progress = std::chrono::steady_clock::now();
  auto report = [&](bool force) {
    if (!options.progress || rank != 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_progress < std::chrono::milliseconds(100)) return;
    last_progress = now;
    options.progress(done, reps);
  };
  detail::TrialWorkspace own_ws;  // used only when no worker thread could be started
  auto take_local = [&](std::size_t l) -> ChunkSlot& {
    if (!started) return simulate_chunk(own_ws, l);  // no worker thread: simulate the chunk here
    ChunkSlot& slot = ring[l % ring_size];
    std::unique_lock lock(mutex);
    while (!error && !slot.ready) {
      cv.wait_for(lock, std::chrono::milliseconds(100));
      lock.unlock();
      report(false);
      lock.lock();
    }
    if (error) std::rethrow_exception(error);
    return slot;
  };
  auto release_local = [&](ChunkSlot& slot) {
    {
      std::lock_guard lock(mutex);
      slot.ready = false;
      ++drained;
    }
    cv.notify_all();
  };
  // a chunk's outcomes as one message: the records, then z, hr, time and events (n x K each)
  auto message_size = [&](std::size_t n) { return n * sizeof(detail::TrialRecord) + 4 * n * K * sizeof(double); };
  auto pack = [&](const ChunkSlot& slot, std::size_t n, std::vector<std::byte>& out) {
    out.resize(message_size(n));
    std::byte* p = out.data();
    auto put = [&](const void* src, std::size_t bytes) {
      if (bytes) std::memcpy(p, src, bytes);
      p += bytes;
    };
    put(slot.records.data(), n * sizeof(detail::TrialRecord));
    for (const std::vector<double>* v : {&slot.z, &slot.hr, &slot.time, &slot.events})
      put(v->data(), n * K * sizeof(double));
  };
  auto unpack = [&](const std::vector<std::byte>& in, std::size_t n, ChunkSlot& slot) {
    const std::byte* p = in.data();
    auto get = [&](void* dst, std::size_t bytes) {
      if (bytes) std::memcpy(dst, p, bytes);
      p += bytes;
    };
    get(slot.records.data(), n * sizeof(detail::TrialRecord));
    for (std::vector<double>* v : {&slot.z, &slot.hr, &slot.time, &slot.events})
      get(v->data(), n * K * sizeof(double));
  };
  static_assert(std::is_trivially_copyable_v<detail::TrialRecord>, "a TrialRecord is sent as bytes");
  constexpr int tag = 27;
  try {
    std::vector<std::byte> buffer;
    if (rank == 0) {
      ChunkSlot remote;
      if (ranks > 1) make_slot(remote);
      for (std::size_t c = 0; c < chunks; ++c) {
        const std::size_t b = c * kChunk, e = std::min(reps, b + kChunk);
        const std::size_t source = c % ranks;
        ChunkSlot* f = &remote;
        if (source == 0) {
          f = &take_local(c / ranks);
        } else {
          buffer.resize(message_size(e - b));
          cluster.receive(static_cast<int>(source), tag, buffer);
          unpack(buffer, e - b, remote);
        }
        for (std::size_t i = b; i < e; ++i) {
          const std::size_t j = i - b;
          fold(i, f->records[j], &f->z[j * K], &f->hr[j * K], &f->time[j * K], &f->events[j * K]);
        }
        if (source == 0) release_local(*f);
        done = e;
        report(false);
      }
    } else {
      for (std::size_t l = 0; l < mine; ++l) {
        const std::size_t c = l * ranks + rank;
        const std::size_t b = c * kChunk, e = std::min(reps, b + kChunk);
        ChunkSlot& slot = take_local(l);
        pack(slot, e - b, buffer);
        release_local(slot);
        cluster.send(0, tag, buffer);
      }
    }
  } catch (...) {
    join();
    throw;
  }
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
  report(true);
}

}  // namespace

SimulationResult simulate_trials(const SimulationScenario& s, const SimulationOptions& options) {
  validate_scenario(s);
  if (options.reps == 0 || options.reps > max_simulation_reps)
    throw UsageError(fmt::format("--reps {}: expected a whole number of trials from 1 to {}", options.reps,
                                 max_simulation_reps));
  const detail::ScenarioPlan plan = detail::plan_scenario(s);
  const std::size_t reps = options.reps, K = s.looks.size();

  SimulationResult r;
  r.reps = reps;
  r.stagewise_rejection.assign(K, 0.0);
  r.stagewise_futility.assign(K, 0.0);
  r.stop_probability.assign(K, 0.0);
  r.mean_look_time.assign(K, 0.0);
  r.mean_look_events.assign(K, 0.0);
  if (options.keep_trials) r.trials.reserve(reps);
  std::vector<double> reached(K, 0.0);
  double rejected = 0, not_achieved = 0, sum_events = 0, sum_n = 0, sum_duration = 0;
  detail::StreamSummary hr_summary({0.025, 0.25, 0.5, 0.75, 0.975});
  run_in_order(s, plan, options,
               [&](std::size_t, const detail::TrialRecord& rec, const double* z, const double* hr,
                   const double* time, const double* events) {
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
                 if (std::isfinite(rec.hr)) hr_summary.add(rec.hr);
                 const auto done = static_cast<std::size_t>(rec.looks_done);
                 for (std::size_t k = 0; k < done; ++k) {
                   reached[k] += 1;
                   r.mean_look_time[k] += time[k];
                   r.mean_look_events[k] += events[k];
                 }
                 if (options.keep_trials) {
                   r.trials.push_back(TrialOutcome{
                       .looks_done = rec.looks_done, .stop_look = rec.stop_look, .reject = rec.reject,
                       .futility = rec.futility, .events_not_achieved = rec.events_not_achieved,
                       .events = rec.events, .subjects = rec.subjects, .duration = rec.duration,
                       .z = rec.z, .hr = rec.hr, .z_look = std::vector<double>(z, z + done),
                       .hr_look = std::vector<double>(hr, hr + done),
                       .time_look = std::vector<double>(time, time + done),
                       .events_look = std::vector<double>(events, events + done)});
                 }
               });
  // A quantile left its window (not seen in practice): the trials are simulated again for it.
  // Rank 0 decides; on a cluster it announces each pass, and every rank takes part in it.
  const Cluster& cluster = options.cluster ? *options.cluster : single_process();
  auto announce = [&](bool another) {
    if (cluster.size() < 2) return;
    std::byte flag = another ? std::byte{1} : std::byte{0};
    cluster.broadcast(0, std::span<std::byte>(&flag, 1));
  };
  SimulationOptions again = options;
  again.progress = {};
  again.keep_trials = false;
  if (cluster.rank() == 0) {
    if (!hr_summary.resolved()) {
      hr_summary.complete([&](const std::function<void(double)>& f) {
        announce(true);
        run_in_order(s, plan, again,
                     [&](std::size_t, const detail::TrialRecord& rec, const double*, const double*,
                         const double*, const double*) {
                       if (std::isfinite(rec.hr)) f(rec.hr);
                     });
      });
    }
    announce(false);
  } else {
    for (;;) {
      std::byte flag{};
      cluster.broadcast(0, std::span<std::byte>(&flag, 1));
      if (flag == std::byte{0}) break;
      run_in_order(s, plan, again,
                   [](std::size_t, const detail::TrialRecord&, const double*, const double*, const double*,
                      const double*) {});
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
  if (hr_summary.count() > 0) {
    const std::vector<double> q = hr_summary.quantiles();
    r.hr = Summary{.mean = hr_summary.mean(), .sd = hr_summary.sd(), .q025 = q[0], .q25 = q[1],
                   .median = q[2], .q75 = q[3], .q975 = q[4]};
  } else {
    double nan = std::nan("");
    r.hr = Summary{nan, nan, nan, nan, nan, nan, nan};
  }
  return r;
}

}  // namespace hazard
