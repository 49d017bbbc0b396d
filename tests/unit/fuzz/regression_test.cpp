// Replays every input the fuzzers ever found troublesome (tests/regression/<target>/, kept by
// scripts/fuzz) and every seed (fuzz/corpus/<target>/) through the same target bodies the fuzzers
// run (fuzz/targets.hpp): each must end in a value or a DataError/UsageError — never a crash, a
// sanitizer report or another exception. Under HAZARD_SANITIZE (scripts/test's build-asan) this is
// the sanitizer check of every kept input.
#include "targets.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace fs = std::filesystem;

namespace {

using Target = int (*)(const std::uint8_t*, std::size_t);

std::size_t replay(const std::string& name, Target target) {
  std::size_t n = 0;
  for (const std::string& root : {std::string(HAZARD_REGRESSION_DIR), std::string(HAZARD_SOURCE_DIR) + "/fuzz/corpus"}) {
    fs::path dir = fs::path(root) / name;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      std::string bytes = s.str();
      SCOPED_TRACE(entry.path().string());
      EXPECT_NO_THROW(target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST(FuzzRegression, Csv) { EXPECT_GT(replay("csv", hazard::fuzz::csv), 0u); }
TEST(FuzzRegression, Sas) { EXPECT_GT(replay("sas", hazard::fuzz::sas), 0u); }
TEST(FuzzRegression, DatasetJson) { EXPECT_GT(replay("dataset_json", hazard::fuzz::dataset_json), 0u); }
TEST(FuzzRegression, SurvData) { EXPECT_GT(replay("survdata", hazard::fuzz::survdata), 0u); }
TEST(FuzzRegression, Stream) { EXPECT_GT(replay("stream", hazard::fuzz::stream), 0u); }
TEST(FuzzRegression, CsvWrite) { EXPECT_GT(replay("csv_write", hazard::fuzz::csv_write), 0u); }
