// hazard::mpi::open_world for the program of an MPI build: loads libhazard-mpi.so (mpi_module.cpp,
// built next to the program) and joins the job through it. Open MPI's libraries (libmpi, open-pal,
// open-rte, hwloc, libevent) are then loaded only by a program started by mpirun.
#include <dlfcn.h>

#include "mpi_cluster.hpp"
#include "optional_libraries.hpp"

namespace hazard::mpi {

std::unique_ptr<Cluster> open_world(int& argc, char**& argv) {
  // RTLD_GLOBAL: Open MPI loads its own components with dlopen and expects libmpi's symbols global
  const cli::ModuleEntry module =
      cli::module_entry("libhazard-mpi.so", "hazard_mpi_open_world", RTLD_NOW | RTLD_GLOBAL,
                        "runs started by mpirun need it");
  auto entry = reinterpret_cast<Cluster* (*)(int&, char**&)>(module.symbol);
  return std::unique_ptr<Cluster>(entry(argc, argv));
}

}  // namespace hazard::mpi
