#include "pooled_data.hpp"

#include <glob.h>

#include <fmt/format.h>

#include "hazard/error.hpp"
#include "hazard/collectives.hpp"
#include <fmt/ranges.h>

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

namespace hazard::cli {

Table load_rank_table(const DataOptions& options, const Roles& roles, const std::vector<std::string>& columns,
                      const Cluster& cluster) {
  const std::vector<std::string> files = data_files(options.data);
  std::vector<Table> tables;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(cluster.size())) != cluster.rank()) continue;
    DataOptions one = options;
    one.data = files[i];
    tables.push_back(load_table(one, roles, columns));
  }
  return concat_tables(std::move(tables), options.data);
}

std::size_t agree_model(CoxModelData& m, const Roles& roles, const Table& table, const std::string& source,
                        const Cluster& cluster) {
  // the model's columns, then its terms: the same on every rank, or the ranks fit different models
  std::vector<std::string> mine = m.model.names;
  mine.emplace_back("|");
  mine.insert(mine.end(), m.term_names.begin(), m.term_names.end());
  const auto all = parallel::all_gather(cluster, mine);
  for (std::size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0])
      throw DataError({.file = source},
                      fmt::format("the files of rank {} give the model columns {} but those of rank 0 give {}: "
                                  "distributed, every level of the model's categorical columns (--group, factor "
                                  "covariates) must have rows in every rank's files",
                                  r, fmt::join(all[r], " "), fmt::join(all[0], " ")));
  // strata and counts of the whole
  DataPart part;
  part.data = m.data;
  part.data.time = m.model.time;
  part.data.status = m.model.status;
  part.data.stratum = m.model.stratum;
  if (!roles.group.empty())
    if (const Column* g = table.find(roles.group)) part.group_numeric = g->is_numeric();
  for (const auto& s : roles.strata) part.strata_numeric.push_back(table.at(s).is_numeric());
  std::vector<DataPart> parts;
  parts.push_back(std::move(part));
  SurvData whole = pool_surv_data(std::move(parts), roles, {.tabulate = false, .source = source}, cluster);
  m.model.stratum = whole.stratum;
  m.data.stratum = whole.stratum;
  m.data.strata_levels = whole.strata_levels;
  m.data.strata_parts = whole.strata_parts;
  m.data.n_read = whole.n_read;
  m.data.n_filtered = whole.n_filtered;
  m.data.excluded = whole.excluded;
  m.data.warnings = whole.warnings;
  return static_cast<std::size_t>(parallel::sum(cluster, static_cast<double>(m.model.time.size())));
}

}  // namespace hazard::cli
