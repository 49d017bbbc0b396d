// A test double of hazard::Cluster: N "ranks" that are threads of one process, for unit tests of
// distributed code without MPI. run_ranks(n, f) calls f(cluster) on n threads at once and
// rethrows the first exception. Semantics as cluster.hpp: collectives are called by every rank in
// the same order; point-to-point messages between two ranks with one tag arrive in order.
#pragma once

#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

#include "hazard/cluster.hpp"

namespace hazard::test {

class ThreadWorld {
 public:
  explicit ThreadWorld(int n) : n_(n) {}
  int size() const { return n_; }

  void send(int from, int to, int tag, std::span<const std::byte> bytes) {
    std::lock_guard lock(m_);
    mail_[{from, to, tag}].emplace_back(bytes.begin(), bytes.end());
    cv_.notify_all();
  }
  void receive(int from, int to, int tag, std::span<std::byte> bytes) {
    std::unique_lock lock(m_);
    auto& q = mail_[{from, to, tag}];
    cv_.wait(lock, [&] { return !q.empty(); });
    auto msg = std::move(q.front());
    q.pop_front();
    if (msg.size() != bytes.size()) throw std::runtime_error("ThreadWorld: message of another size");
    if (!msg.empty()) std::memcpy(bytes.data(), msg.data(), msg.size());
  }
  // The shared state of one collective call (one per generation: a rank that has left a call
  // may enter the next before the others have collected from the first).
  struct Slot {
    std::map<int, std::vector<double>> parts;  // each rank's values, summed in rank order
    std::vector<double> result;
    std::vector<std::byte> buffer;
    int left = 0;  // ranks that have not collected yet
  };
  // A barrier: every rank calls contribute(slot) on arrival; the last arrival calls finish(slot);
  // every rank then calls collect(slot) before it leaves; all under the lock.
  void collective(const std::function<void(Slot&)>& contribute, const std::function<void(Slot&)>& finish,
                  const std::function<void(Slot&)>& collect) {
    std::unique_lock lock(m_);
    const long gen = generation_;
    Slot& slot = slots_[gen];
    contribute(slot);
    if (++arrived_ == n_) {
      finish(slot);
      slot.left = n_;
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return generation_ != gen; });
    }
    collect(slot);
    if (--slot.left == 0) slots_.erase(gen);
  }

 private:
  int n_;
  std::mutex m_;
  std::condition_variable cv_;
  std::map<std::tuple<int, int, int>, std::deque<std::vector<std::byte>>> mail_;
  std::map<long, Slot> slots_;
  int arrived_ = 0;
  long generation_ = 0;
};

class ThreadCluster final : public Cluster {
 public:
  ThreadCluster(ThreadWorld& world, int rank) : world_(world), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return world_.size(); }
  void send(int dest, int tag, std::span<const std::byte> bytes) const override {
    world_.send(rank_, dest, tag, bytes);
  }
  void receive(int source, int tag, std::span<std::byte> bytes) const override {
    world_.receive(source, rank_, tag, bytes);
  }
  void broadcast(int root, std::span<std::byte> bytes) const override {
    using Slot = ThreadWorld::Slot;
    world_.collective(
        [&](Slot& s) {
          if (rank_ == root) s.buffer.assign(bytes.begin(), bytes.end());
        },
        [](Slot&) {},
        [&](Slot& s) {
          if (s.buffer.size() != bytes.size()) throw std::runtime_error("ThreadCluster: broadcast of another size");
          if (!bytes.empty()) std::memcpy(bytes.data(), s.buffer.data(), bytes.size());
        });
  }
  void sum(std::span<double> values) const override {
    using Slot = ThreadWorld::Slot;
    world_.collective(
        [&](Slot& s) { s.parts[rank_].assign(values.begin(), values.end()); },
        [&](Slot& s) {
          s.result.assign(values.size(), 0.0);
          for (const auto& [r, v] : s.parts) {
            if (v.size() != values.size()) throw std::runtime_error("ThreadCluster: sum of another size");
            for (std::size_t i = 0; i < v.size(); ++i) s.result[i] += v[i];
          }
        },
        [&](Slot& s) { std::copy(s.result.begin(), s.result.end(), values.begin()); });
  }
  [[noreturn]] void abort(int code) const override {
    throw std::runtime_error("ThreadCluster: abort with status " + std::to_string(code));
  }

 private:
  ThreadWorld& world_;
  int rank_;
};

/// Runs f(cluster) on n threads, one per rank; rethrows the first exception of any rank.
inline void run_ranks(int n, const std::function<void(const Cluster&)>& f) {
  ThreadWorld world(n);
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      ThreadCluster c(world, r);
      try {
        f(c);
      } catch (...) {
        errors[static_cast<std::size_t>(r)] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace hazard::test
