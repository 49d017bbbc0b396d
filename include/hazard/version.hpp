// Version and build information, printed by `hazard --version` and written into every report.
#pragma once

#include <string>

namespace hazard {

/// "0.1.0"
std::string version();
/// Several lines: version, git commit, compiler, flags, versions of the libraries linked in.
std::string version_text();

}  // namespace hazard
