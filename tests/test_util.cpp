// The case names of reference files, for the parametrised suites' lists (test_util.hpp).
#include "test_util.hpp"

#include <stdexcept>

#include <simdjson.h>

namespace hazard::test {

std::vector<std::string> reference_names(const std::string& relative, const std::string& key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.load(std::string(HAZARD_REFERENCE_DIR) + "/" + relative).get(doc))
    throw std::runtime_error("missing or malformed reference file " + relative);
  simdjson::dom::array cases;
  if ((key.empty() ? doc : doc[key]).get_array().get(cases))
    throw std::runtime_error("reference file " + relative + ": no array of cases");
  std::vector<std::string> names;
  for (simdjson::dom::element c : cases) {
    std::string_view name;
    if (c["name"].get_string().get(name))
      throw std::runtime_error("reference file " + relative + ": a case without a name");
    names.emplace_back(name);
  }
  return names;
}

}  // namespace hazard::test
