// The program's definitions of the library functions that need large shared libraries: figures
// (cairo + pango) and SHA-256 (OpenSSL). Each forwards to libhazard-module.so
// (module/module_api.hpp), loaded from the program's directory on the first call, so commands
// without figures or reports start without loading those libraries. Because the program defines
// these functions, the linker takes none of libhazard.a's own definitions (cairo_canvas.o,
// sha256.o) into the program: a library object that needed them would be a duplicate-symbol error
// at link time, not a silent second copy. module_entry (optional_libraries.hpp) opens a module; the
// MPI build's loader (mpi/mpi_loader.cpp) uses it too.
#include "optional_libraries.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <string>

#include "hazard/digest.hpp"
#include "hazard/error.hpp"
#include "module/module_api.hpp"

namespace {

const hazard::module::Api* load_module() {
  const hazard::cli::ModuleEntry module =
      hazard::cli::module_entry(hazard::module::file_name, hazard::module::entry_name,
                                RTLD_NOW | RTLD_LOCAL, "figures and SHA-256 of inputs need it");
  auto entry = reinterpret_cast<const hazard::module::Api* (*)()>(module.symbol);
  const hazard::module::Api* api = entry();
  if (!api || api->version != hazard::module::api_version ||
      api->size != sizeof(hazard::module::Api))
    throw hazard::IoError(module.path +
                          " is not the module of this build of hazard (rebuild both)");
  return api;
}

/// Loaded once; a failed load throws and is tried again on the next call.
const hazard::module::Api& module_api() {
  static const hazard::module::Api* api = load_module();
  return *api;
}

}  // namespace

namespace hazard {

namespace {

/// The directory of the running program, with a trailing '/'.
std::string program_directory(const std::string& module) {
  std::string path(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", path.data(), path.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= path.size())
    throw IoError("cannot find the program's directory (/proc/self/exe) to load " + module);
  path.resize(static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/') + 1);
}

}  // namespace

cli::ModuleEntry cli::module_entry(const std::string& file, const char* entry, int flags,
                                   const std::string& purpose) {
  const std::string path = program_directory(file) + file;
  void* handle = dlopen(path.c_str(), flags);
  if (!handle)
    throw IoError("cannot load " + path + " (built with the program; " + purpose + "): " + dlerror());
  void* symbol = dlsym(handle, entry);
  if (!symbol)
    throw IoError(path + " has no entry " + entry + ": not a module of this build of hazard (rebuild both)");
  return {.symbol = symbol, .path = path};
}

std::string sha256_hex(std::string_view bytes) { return module_api().sha256_hex(bytes); }

std::string sha256_file(const std::string& path) { return module_api().sha256_file(path); }

namespace plot::detail {

const CanvasBackend& canvas_backend() { return *module_api().canvas; }

}  // namespace plot::detail

}  // namespace hazard
