// The case names of reference files, for the parametrised suites' lists (test_util.hpp).
#include "test_util.hpp"

#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <simdjson.h>

namespace hazard::test {

namespace {

std::vector<std::string> read_names(const std::string& relative, const std::string& key) {
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

}  // namespace

const std::vector<std::string>& reference_names(const std::string& relative,
                                                const std::string& key) {
  // one read per file and key in a process (the suites' lists and their count checks ask again)
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::vector<std::string>> read;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = read.find({relative, key});
  if (it == read.end())
    it = read.emplace(std::pair{relative, key}, read_names(relative, key)).first;
  return it->second;
}

std::string gtest_name(std::string name) {
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

}  // namespace hazard::test
