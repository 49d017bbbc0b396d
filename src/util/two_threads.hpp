// Work split in two halves on the machine's two cores (internal, namespace detail).
//
// two_halves(n, f) runs f(0) and f(1) on two threads when n, the size of the work, is at least
// two_thread_rows and the machine has more than one core; else one after the other on the
// caller's thread. Callers split their data the same way either way, so results never depend on
// the number of threads. An exception from either half is rethrown on the caller's thread.
#pragma once

#include <cstddef>
#include <exception>
#include <thread>

namespace hazard::detail {

// Below this many rows one thread does both halves (starting a thread, ~50 us on a VM, would
// cost more than it saves).
constexpr std::size_t two_thread_rows = 32768;

inline bool two_cores() { return std::thread::hardware_concurrency() > 1; }

/// The rows [lo, hi) of half `half` (0 or 1) of n rows: [0, n/2) and [n/2, n).
struct HalfRange {
  std::size_t lo, hi;
};
inline HalfRange half_range(std::size_t n, int half) {
  return half == 0 ? HalfRange{0, n / 2} : HalfRange{n / 2, n};
}

template <class F>
void two_halves(std::size_t n, F&& f) {
  if (n >= two_thread_rows && two_cores()) {
    std::exception_ptr error;
    std::thread helper([&] {
      try {
        f(1);
      } catch (...) {
        error = std::current_exception();
      }
    });
    try {
      f(0);
    } catch (...) {
      helper.join();
      throw;
    }
    helper.join();
    if (error) std::rethrow_exception(error);
  } else {
    f(0);
    f(1);
  }
}

}  // namespace hazard::detail
