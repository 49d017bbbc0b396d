// --data with several files ('part-*.csv'), and the distributed km, logrank and cox of an MPI job
// (docs/scale.md): each rank reads its share of the files; pool_surv_data (distributed.hpp)
// makes them one analysis.
#pragma once

#include <string>
#include <vector>

#include "data_options.hpp"
#include "hazard/cluster.hpp"
#include "hazard/distributed.hpp"

namespace hazard::cli {

/// The files --data names: a path, or a pattern with *, ? or [...] (glob(3), sorted by name).
/// Throws IoError when a pattern matches no file.
std::vector<std::string> data_files(const std::string& data);

/// Whether the analysis is pooled from parts: several files, or several ranks.
bool pooled(const DataOptions& options, const Cluster& cluster);

/// Reads this rank's files (file i goes to rank i mod N), each as load_surv_data would (with
/// require_rows and require_events off, and --ref left to the whole), and pools them over the
/// cluster (pool_surv_data). `tables` (optional) receives each part's table, for cox.
SurvData load_pooled(const DataOptions& options, const Roles& roles, const PoolOptions& pool,
                     const Cluster& cluster, std::vector<Table>* tables = nullptr,
                     const std::vector<std::string>& extra_columns = {});

}  // namespace hazard::cli
