// MPI_COMM_WORLD as a hazard::Cluster (see mpi_cluster.hpp and include/hazard/cluster.hpp).
// Messages are MPI_BYTE (all ranks run the same binary on the same kind of machine); sizes above
// INT_MAX are sent in pieces, so that any buffer fits MPI's int counts.
#include "mpi_cluster.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

namespace hazard::mpi {

namespace {

constexpr std::size_t kPiece = static_cast<std::size_t>(INT_MAX) / 2;

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw std::runtime_error(std::string("MPI ") + what + ": " + std::string(text, static_cast<std::size_t>(len)));
}

// Waits for a request by testing it with sleeps that grow from 20 us to 1 ms: a blocking MPI_Send
// or MPI_Recv busy-polls (Open MPI's default), taking a core from this rank's worker threads
// while rank 0 waits for the others' trials.
void wait_politely(MPI_Request& request, MPI_Status& status, const char* what) {
  auto pause = std::chrono::microseconds(20);
  for (;;) {
    int done = 0;
    check(MPI_Test(&request, &done, &status), what);
    if (done) return;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(1000));
  }
}


class World final : public Cluster {
 public:
  World(int& argc, char**& argv) {
    int provided = 0;
    check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "init");
    if (provided < MPI_THREAD_FUNNELED) {
      MPI_Finalize();
      throw std::runtime_error("MPI: the library gives no MPI_THREAD_FUNNELED support");
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~World() override { MPI_Finalize(); }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void send(int dest, int tag, std::span<const std::byte> bytes) const override {
    std::size_t at = 0;
    do {
      const std::size_t n = std::min(kPiece, bytes.size() - at);
      MPI_Request request;
      MPI_Status status;
      check(MPI_Isend(bytes.data() + at, static_cast<int>(n), MPI_BYTE, dest, tag, MPI_COMM_WORLD, &request),
            "send");
      wait_politely(request, status, "send");
      at += n;
    } while (at < bytes.size());
  }

  void receive(int source, int tag, std::span<std::byte> bytes) const override {
    std::size_t at = 0;
    do {
      const std::size_t n = std::min(kPiece, bytes.size() - at);
      MPI_Request request;
      MPI_Status status;
      check(MPI_Irecv(bytes.data() + at, static_cast<int>(n), MPI_BYTE, source, tag, MPI_COMM_WORLD, &request),
            "receive");
      wait_politely(request, status, "receive");
      int got = 0;
      MPI_Get_count(&status, MPI_BYTE, &got);
      if (static_cast<std::size_t>(got) != n)
        throw std::runtime_error("MPI receive: a message of " + std::to_string(got) + " bytes where " +
                                 std::to_string(n) + " were expected");
      at += n;
    } while (at < bytes.size());
  }

  void broadcast(int root, std::span<std::byte> bytes) const override {
    std::size_t at = 0;
    do {
      const std::size_t n = std::min(kPiece, bytes.size() - at);
      check(MPI_Bcast(bytes.data() + at, static_cast<int>(n), MPI_BYTE, root, MPI_COMM_WORLD), "broadcast");
      at += n;
    } while (at < bytes.size());
  }

  void sum(std::span<double> values) const override {
    const std::size_t piece = kPiece / sizeof(double);
    for (std::size_t at = 0; at < values.size(); at += piece) {
      const std::size_t n = std::min(piece, values.size() - at);
      check(MPI_Allreduce(MPI_IN_PLACE, values.data() + at, static_cast<int>(n), MPI_DOUBLE, MPI_SUM,
                          MPI_COMM_WORLD),
            "sum");
    }
  }

  [[noreturn]] void abort(int code) const override {
    std::fflush(stdout);
    std::fflush(stderr);
    // Open MPI forwards a rank's output through its daemon, and MPI_Abort ends the job at once:
    // a message written just before could be lost on the way (seen in CI under load, the error
    // of `cox --residuals` over ranks missing from mpirun's stderr). A moment for the forwarding
    // to deliver it; only on this failure path.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);  // MPI_Abort does not return; should it, the process still ends
  }

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace

std::unique_ptr<Cluster> open_world(int& argc, char**& argv) { return std::make_unique<World>(argc, argv); }

}  // namespace hazard::mpi
