// Where the program finds its modules (cli/optional_libraries.cpp, mpi/mpi_loader.cpp).
#pragma once

#include <string>

namespace hazard::cli {

/// The directory of the running program (/proc/self/exe), with a trailing '/': its modules
/// (libhazard-module.so, libhazard-mpi.so) are built next to it. Throws IoError naming `module`
/// when it cannot be found.
std::string program_directory(const std::string& module);

}  // namespace hazard::cli
