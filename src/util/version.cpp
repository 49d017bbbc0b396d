#include "hazard/version.hpp"

#include <CLI/Version.hpp>
#include <Eigen/Core>
#include <boost/version.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hazard/build_info.hpp"

namespace hazard {

std::string version() { return build::version; }

std::string version_text() {
  return fmt::format(
      "hazard {} (commit {})\n"
      "build: {}, {} {}, flags: {}\n"
      "libraries: fmt {}.{}.{}, Eigen {}.{}.{}, Boost {}.{}.{}, nlohmann_json {}.{}.{}, CLI11 {}",
      build::version, build::git_commit, build::system, build::compiler, build::build_type,
      build::flags, FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100,
      EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, BOOST_VERSION / 100000,
      BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100, NLOHMANN_JSON_VERSION_MAJOR,
      NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH, CLI11_VERSION);
}

}  // namespace hazard
