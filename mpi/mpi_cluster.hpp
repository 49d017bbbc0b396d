// The MPI cluster (cluster.hpp) over MPI_COMM_WORLD, for the command-line program of a build with
// -DHAZARD_MPI=ON. Internal to the program (mpi/ is compiled into it, not into hazard::core).
#pragma once

#include <memory>

#include "hazard/cluster.hpp"

namespace hazard::mpi {

/// Initialises MPI (MPI_THREAD_FUNNELED: worker threads never call MPI) for the life of the
/// returned object, which finalises it. Throws std::runtime_error when MPI cannot start.
std::unique_ptr<Cluster> open_world(int& argc, char**& argv);

}  // namespace hazard::mpi
