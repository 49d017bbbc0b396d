// One analysis of rows held in several parts: files read one by one, by one process or by the
// ranks of an MPI job (`mpirun -np N hazard km|logrank|cox --data 'part-*.csv'`, docs/scale.md).
//
// Each part's SurvData is built by build_surv_data with the same roles (require_rows and
// require_events off, no --ref: those are checks of the whole). pool_surv_data then makes the
// parts one analysis, exactly as if their rows had been one file:
//   * levels: the --group levels and the --strata combinations present in any part, ordered as
//     R's factor() orders them on the whole (numeric columns by value, others as text; --ref
//     first), every part's codes mapped to them;
//   * counts: rows read, removed by --where and excluded by reason, summed over the parts;
//   * checks of the whole: some row left, some event, the --ref level present, the level limits;
//     the group-without-events warnings of the whole;
//   * rows: in one process, the parts' rows one after the other (the kernels sort them). With
//     `tabulate` (km, logrank) and several ranks, rank 0 gets the frequency table of (stratum,
//     group, time, status) of the whole (SurvData::frequency; the other ranks get their own rows
//     and have nothing more to do): every Kaplan–Meier and log-rank statistic is a function of
//     these counts, and integer counts add exactly, so the results equal one process's (the
//     kernels sum the same numbers in the same order). Without `tabulate` (cox) each rank keeps
//     its own rows, recoded; the fit reduces its sums over the ranks.
// Collective over `cluster`: every rank calls it once, with its own parts (possibly none).
#pragma once

#include <string>
#include <vector>

#include "hazard/cluster.hpp"
#include "hazard/survdata.hpp"

namespace hazard {

/// One part: its analysed rows and how its role columns were stored.
struct DataPart {
  SurvData data;
  bool group_numeric = false;           ///< the --group column is numeric in this part's file
  std::vector<bool> strata_numeric{};   ///< per --strata column
};

struct PoolOptions {
  /// km, logrank: with several ranks, the frequency table of the whole on rank 0 (case weights
  /// are then refused: UsageError). false: each rank keeps its rows (cox).
  bool tabulate = true;
  std::string source;  ///< what the messages name as the file (the --data pattern)
};

SurvData pool_surv_data(std::vector<DataPart> parts, const Roles& roles, const PoolOptions& options,
                        const Cluster& cluster);

}  // namespace hazard
