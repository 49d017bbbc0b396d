// The interface between the program `hazard` and its module libhazard-module.so: the parts of the
// library that need large shared libraries, loaded only by the commands that use them.
//
// Why: the program linked directly against cairo + pango (figures) and OpenSSL's libcrypto
// (SHA-256 of input files) loads about 40 shared libraries at every start. On a 2-core VM that
// was ~20 ms of dynamic loading and page faults before main(), 10-15% of a whole `logrank` on 1e6
// rows (docs/performance.md). The module holds the library's own code for both (cairo_canvas.cpp,
// sha256.cpp, linked from the same libhazard.a); cli/optional_libraries.cpp loads it on first use.
// Module and program are built together from one tree, so the interface is C++ (one compiler,
// one libstdc++); `version` guards against a stale module left in a build directory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "report/canvas.hpp"

namespace hazard::module {

inline constexpr int api_version = 1;

struct Api {
  int version = api_version;
  std::size_t size = sizeof(Api);
  const plot::detail::CanvasBackend* canvas = nullptr;
  std::string (*sha256_hex)(std::string_view bytes) = nullptr;
  std::string (*sha256_file)(const std::string& path) = nullptr;
};

/// The module's file name (next to the program) and its one exported symbol.
inline constexpr const char* file_name = "libhazard-module.so";
inline constexpr const char* entry_name = "hazard_module_api";

}  // namespace hazard::module

extern "C" const hazard::module::Api* hazard_module_api();
