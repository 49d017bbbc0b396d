// --data with several files ('part-*.csv'), and the distributed km, logrank and cox of an MPI job
// (docs/scale.md): each rank reads its share of the files; pool_surv_data (distributed.hpp)
// makes them one analysis.
#pragma once

#include <string>
#include <vector>

#include "data_options.hpp"
#include "hazard/cluster.hpp"
#include "hazard/cox_model.hpp"
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

/// hazard cox over ranks: this rank's files (file i to rank i mod N) read as load_table does and
/// concatenated (concat_tables; messages name each row's file).
Table load_rank_table(const DataOptions& options, const Roles& roles, const std::vector<std::string>& columns,
                      const Cluster& cluster);

/// hazard cox over ranks, after cox_model_data on each rank's table: checks that every rank has
/// the same model columns (every level of the model's categorical columns present on every
/// rank: DataError otherwise), recodes the strata to the whole's (pool_surv_data), and puts the
/// whole's counts (rows read, filtered, excluded by reason) and warnings in m.data. Returns the
/// number of rows analysed over all ranks. Collective.
std::size_t agree_model(CoxModelData& m, const Roles& roles, const Table& table, const std::string& source,
                        const Cluster& cluster);

}  // namespace hazard::cli
