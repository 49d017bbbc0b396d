// The module libhazard-mpi.so: MPI_COMM_WORLD as a hazard::Cluster (mpi_cluster.cpp) behind one
// exported entry (mpi_module.map). The program of an MPI build loads it only when started by mpirun
// (mpi_loader.cpp), so that runs without mpirun do not load Open MPI's libraries at start-up.
#include "mpi_cluster.hpp"

extern "C" hazard::Cluster* hazard_mpi_open_world(int& argc, char**& argv) {
  return hazard::mpi::open_world(argc, argv).release();
}
