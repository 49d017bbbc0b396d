// The processes that share one piece of work: one process alone, or the ranks of an MPI job
// (`mpirun -np N hazard ...` of a build with -DHAZARD_MPI=ON; docs/scale.md).
//
// The library never calls MPI itself: work that can be spread over processes takes a
// `const Cluster*` in its options (nullptr = this process alone) and uses the few operations
// below. The MPI implementation lives in mpi/ and is linked into the command-line program only
// when it is built with HAZARD_MPI; single_process() needs nothing.
//
// Contract of every operation: collective ones (broadcast, sum) are called by every rank in the
// same order; send/receive are blocking, and messages between two ranks with the same tag arrive
// in the order sent (MPI's non-overtaking rule). Only the thread that created the cluster calls
// them.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace hazard {

class Cluster {
 public:
  virtual ~Cluster() = default;
  /// This process's rank, 0 to size() - 1; rank 0 writes the results.
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Sends `bytes` to rank `dest` (blocking).
  virtual void send(int dest, int tag, std::span<const std::byte> bytes) const = 0;
  /// Receives exactly bytes.size() bytes from rank `source` (blocking); a message of another size
  /// is an error (std::runtime_error).
  virtual void receive(int source, int tag, std::span<std::byte> bytes) const = 0;
  /// Rank `root`'s bytes to every rank (collective; the same size everywhere).
  virtual void broadcast(int root, std::span<std::byte> bytes) const = 0;
  /// Element-wise sums over the ranks, in place on every rank (collective).
  virtual void sum(std::span<double> values) const = 0;
  /// Ends every rank of the job at once with exit status `code` (after this rank printed why).
  [[noreturn]] virtual void abort(int code) const = 0;
};

/// The cluster of this process alone: rank 0 of 1. Broadcast and sum leave the values as they are;
/// send and receive have no peer and throw std::logic_error; abort exits with `code`.
const Cluster& single_process();

}  // namespace hazard
