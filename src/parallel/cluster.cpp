// The single-process cluster (cluster.hpp): rank 0 of 1.
#include "hazard/cluster.hpp"

#include <cstdlib>
#include <stdexcept>

namespace hazard {

namespace {
class SingleProcess final : public Cluster {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void send(int, int, std::span<const std::byte>) const override {
    throw std::logic_error("cluster: send in a single process (there is no other rank)");
  }
  void receive(int, int, std::span<std::byte>) const override {
    throw std::logic_error("cluster: receive in a single process (there is no other rank)");
  }
  void broadcast(int, std::span<std::byte>) const override {}
  void sum(std::span<double>) const override {}
  [[noreturn]] void abort(int code) const override { std::exit(code); }
};
}  // namespace

const Cluster& single_process() {
  static const SingleProcess one;  // immutable: no state at all
  return one;
}

}  // namespace hazard
