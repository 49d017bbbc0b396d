// hazard::mpi::open_world for the program of an MPI build: loads libhazard-mpi.so (mpi_module.cpp,
// built next to the program) and joins the job through it. Open MPI's libraries (libmpi, open-pal,
// open-rte, hwloc, libevent) are then loaded only by a program started by mpirun.
#include <dlfcn.h>

#include <stdexcept>
#include <string>

#include "mpi_cluster.hpp"
#include "optional_libraries.hpp"

namespace hazard::mpi {

std::unique_ptr<Cluster> open_world(int& argc, char**& argv) {
  const std::string path = cli::program_directory("libhazard-mpi.so") + "libhazard-mpi.so";
  // RTLD_GLOBAL: Open MPI loads its own components with dlopen and expects libmpi's symbols global
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!handle) throw std::runtime_error("cannot load " + path + ": " + dlerror());
  auto entry =
      reinterpret_cast<Cluster* (*)(int&, char**&)>(dlsym(handle, "hazard_mpi_open_world"));
  if (!entry)
    throw std::runtime_error(path + " has no entry hazard_mpi_open_world (rebuild hazard)");
  return std::unique_ptr<Cluster>(entry(argc, argv));
}

}  // namespace hazard::mpi
