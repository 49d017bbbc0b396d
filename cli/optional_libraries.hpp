// How the program loads its modules (cli/optional_libraries.cpp, mpi/mpi_loader.cpp).
#pragma once

#include <string>

namespace hazard::cli {

/// A module's entry point, and the path the module was loaded from (for the caller's errors).
struct ModuleEntry {
  void* symbol = nullptr;
  std::string path;
};

/// The entry point `entry` of the module `file` (libhazard-module.so, libhazard-mpi.so), built next
/// to the program: dlopen'ed from the running program's directory (/proc/self/exe) with `flags`
/// (RTLD_NOW | RTLD_LOCAL, or RTLD_GLOBAL for a module whose libraries load their own plugins).
/// Throws IoError naming the module's path and `purpose` (what needs it) when it cannot be loaded,
/// and the entry when the module lacks it.
ModuleEntry module_entry(const std::string& file, const char* entry, int flags,
                         const std::string& purpose);

}  // namespace hazard::cli
