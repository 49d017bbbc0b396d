// Row selection on a cohort's SurvData, shared by the cohort analyses (assemble.cpp) and the
// subgroup analyses (subgroups.cpp).
#pragma once

#include <vector>

#include "hazard/survdata.hpp"

namespace hazard::report::detail {

/// The rows i of `d` with keep[i] != 0, every per-row column kept in step; the group and strata
/// levels are unchanged (an arm without rows keeps its code), so estimates stay labelled as in d.
SurvData select_rows(const SurvData& d, const std::vector<char>& keep);

}  // namespace hazard::report::detail
