#include "pooled_data.hpp"

#include <glob.h>

#include <fmt/format.h>

#include "hazard/error.hpp"

namespace hazard::cli {

std::vector<std::string> data_files(const std::string& data) {
  if (data.find_first_of("*?[") == std::string::npos) return {data};
  glob_t g{};
  const int rc = ::glob(data.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  if (out.empty()) throw IoError(fmt::format("{}: no file matches the pattern", data));
  return out;  // glob sorts the names
}

bool pooled(const DataOptions& options, const Cluster& cluster) {
  return cluster.size() > 1 || data_files(options.data).size() > 1;
}

SurvData load_pooled(const DataOptions& options, const Roles& roles, const PoolOptions& pool,
                     const Cluster& cluster, std::vector<Table>* tables,
                     const std::vector<std::string>& extra_columns) {
  const std::vector<std::string> files = data_files(options.data);
  Roles part_roles = roles;
  part_roles.require_rows = false;
  part_roles.require_events = false;
  part_roles.ref.clear();
  std::vector<DataPart> parts;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(cluster.size())) != cluster.rank()) continue;
    DataOptions one = options;
    one.data = files[i];
    Table table = load_table(one, part_roles, extra_columns);
    DataPart part;
    part.data = within_memory([&] { return fmt::format("reading {}: the data set is too large for the memory available", files[i]); },
                              [&] { return build_surv_data(table, part_roles); });
    if (!roles.group.empty()) part.group_numeric = table.at(roles.group).is_numeric();
    for (const auto& s : roles.strata) part.strata_numeric.push_back(table.at(s).is_numeric());
    parts.push_back(std::move(part));
    if (tables) tables->push_back(std::move(table));
  }
  PoolOptions po = pool;
  if (po.source.empty()) po.source = options.data;
  SurvData data = pool_surv_data(std::move(parts), roles, po, cluster);
  if (cluster.rank() == 0)
    for (const auto& w : data.warnings) fmt::print(stderr, "hazard: warning: {}\n", printable(w));
  return data;
}

}  // namespace hazard::cli
