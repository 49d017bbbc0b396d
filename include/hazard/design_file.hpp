// A group-sequential survival design read back from the JSON that `hazard design --json` writes
// (docs/cli/design.md), so that a later analysis (`hazard report --design FILE`) uses the design
// exactly as planned: its spending, looks, alpha, allocation ratio and maximum number of events.
//
// Example:
//   // hazard design --hr 0.5 --power 0.9 --ratio 2 --looks 3 --spending obf --json > design.json
//   hazard::SavedDesign d = hazard::read_design_json("design.json");
//   // d.boundaries.info == {1/3, 2/3, 1}; d.max_events == 99.58...; d.ratio == 2
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hazard/design.hpp"

namespace hazard {

struct SavedDesign {
  BoundaryOptions
      boundaries;         ///< alpha, sided, beta (1 - power), info, spending, futility, binding
  double hr = 0;          ///< design hazard ratio (H1)
  double hr0 = 1;         ///< null hazard ratio (margin)
  double ratio = 1;       ///< allocation experimental:control
  double max_events = 0;  ///< planned maximum number of events ("events", unrounded)
  std::vector<double> events;  ///< planned cumulative events at each look ("looks"[k].events)
};

/// Parses the text of a `hazard design --json` document; `name` (the file) is used in messages.
/// Throws DataError naming the file, the line and the key (e.g. "design.json:14: column
/// 'looks[2].info': value '0.2': information fractions must increase") for text that is not JSON,
/// a key that is missing or of the wrong type, or values that do not make a design.
SavedDesign parse_design_json(std::string_view text, const std::string& name);

/// Reads and parses the file (IoError when it cannot be read).
SavedDesign read_design_json(const std::string& path);

}  // namespace hazard
