// The design matrix of a Cox model from table columns, as R's model.matrix with treatment
// contrasts and no intercept column (coxph drops it):
//   * a numeric column is one model column, named after it;
//   * a categorical column (or a numeric one marked `factor`, such as the trial arm) gives one
//     0/1 indicator per non-reference level, named "COL[LEVEL]". Levels are those present in the
//     analysed rows, in sorted order (byte order for text, numeric order for numbers); the
//     reference is the given level, else the first.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "util/huge_pages.hpp"

namespace hazard {

Design build_design(const Table& table, std::span<const std::size_t> rows,
                    const std::vector<DesignSpec>& specs, std::size_t lead) {
  Design d;
  const auto n = static_cast<Eigen::Index>(rows.size());
  struct Block {
    const Column* col;
    std::vector<std::int32_t> code;  // per analysed row, level index (factor) or -1
    std::vector<std::string> levels;  // present levels, reference first
  };
  std::vector<Block> blocks;
  std::size_t ncol = 0;
  for (const DesignSpec& spec : specs) {
    const Column* col = table.find(spec.column);
    if (col == nullptr) throw UsageError("unknown covariate column '" + spec.column + "'");
    for (std::size_t i : rows)
      if (col->is_missing(i))
        throw DataError({.file = table.source, .line = table.line.empty() ? 0 : table.line[i],
                         .column = spec.column, .value = "", .has_value = true},
                        "missing covariate value");
    Block b{col, {}, {}};
    if (col->is_numeric() && !spec.factor) {
      if (!spec.ref.empty())
        throw UsageError("--ref " + spec.column + "=" + spec.ref + ": '" + spec.column +
                         "' is a numeric covariate, not categorical");
      ++ncol;
    } else {
      // present levels in sorted order
      std::vector<std::int32_t> key(rows.size());
      std::vector<double> nums;
      std::vector<std::int32_t> used;
      if (col->is_numeric()) {
        for (std::size_t i : rows) nums.push_back(col->numbers[i]);
        std::sort(nums.begin(), nums.end());
        nums.erase(std::unique(nums.begin(), nums.end()), nums.end());
        spec.level_limit.check(nums.size(), rows.size(), table.source, spec.column,
                               "the categorical covariate (--covariates)");
        // the level's text as the table writes it, at its first row
        std::vector<std::size_t> first(nums.size(), rows.size());
        for (std::size_t k = 0; k < rows.size(); ++k) {
          const auto l = static_cast<std::size_t>(
              std::lower_bound(nums.begin(), nums.end(), col->numbers[rows[k]]) - nums.begin());
          key[k] = static_cast<std::int32_t>(l);
          if (first[l] == rows.size()) first[l] = k;
        }
        for (std::size_t l = 0; l < nums.size(); ++l) b.levels.push_back(col->text(rows[first[l]]));
      } else {
        std::vector<std::uint8_t> present(col->levels.size(), 0);
        for (std::size_t i : rows) present[static_cast<std::size_t>(col->codes[i])] = 1;
        spec.level_limit.check(static_cast<std::size_t>(std::count(present.begin(), present.end(), 1)),
                               rows.size(), table.source, spec.column,
                               "the categorical covariate (--covariates)");
        std::vector<std::int32_t> remap(col->levels.size(), -1);
        for (std::size_t l = 0; l < col->levels.size(); ++l)
          if (present[l]) {
            remap[l] = static_cast<std::int32_t>(b.levels.size());
            b.levels.push_back(col->levels[l]);
          }
        for (std::size_t k = 0; k < rows.size(); ++k)
          key[k] = remap[static_cast<std::size_t>(col->codes[rows[k]])];
      }
      std::size_t ref = 0;
      if (!spec.ref.empty()) {
        auto it = std::find(b.levels.begin(), b.levels.end(), spec.ref);
        if (it == b.levels.end())
          throw DataError({.file = table.source, .column = spec.column, .value = spec.ref, .has_value = true},
                          "reference level not found in the analysed rows");
        ref = static_cast<std::size_t>(it - b.levels.begin());
      }
      // reorder: reference first, others in sorted order
      std::vector<std::int32_t> perm(b.levels.size());
      std::vector<std::string> lv{b.levels[ref]};
      for (std::size_t l = 0, next = 1; l < b.levels.size(); ++l) {
        if (l == ref) {
          perm[l] = 0;
        } else {
          perm[l] = static_cast<std::int32_t>(next++);
          lv.push_back(b.levels[l]);
        }
      }
      b.levels = lv;
      b.code.resize(rows.size());
      for (std::size_t k = 0; k < rows.size(); ++k) b.code[k] = perm[static_cast<std::size_t>(key[k])];
      ncol += b.levels.size() - 1;
    }
    blocks.push_back(std::move(b));
  }
  // every column but the leading ones is written whole below
  d.x.resize(n, static_cast<Eigen::Index>(lead + ncol));
  detail::advise_huge_pages(d.x.data(), static_cast<std::size_t>(d.x.size()) * sizeof(double));
  d.x.leftCols(static_cast<Eigen::Index>(lead)).setZero();
  auto c = static_cast<Eigen::Index>(lead);
  for (std::size_t t = 0; t < blocks.size(); ++t) {
    const Block& b = blocks[t];
    d.term_names.push_back(b.col->name);
    if (b.code.empty()) {
      for (Eigen::Index k = 0; k < n; ++k) d.x(k, c) = b.col->numbers[rows[static_cast<std::size_t>(k)]];
      d.names.push_back(b.col->name);
      d.term.push_back(t);
      ++c;
    } else {
      for (std::size_t l = 1; l < b.levels.size(); ++l) {
        for (Eigen::Index k = 0; k < n; ++k)
          d.x(k, c) = b.code[static_cast<std::size_t>(k)] == static_cast<std::int32_t>(l) ? 1.0 : 0.0;
        d.names.push_back(b.col->name + "[" + b.levels[l] + "]");
        d.term.push_back(t);
        ++c;
      }
    }
  }
  return d;
}

}  // namespace hazard
