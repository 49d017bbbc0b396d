// The command line's flag helpers (cli/unknown_flags.cpp), on hand-worked cases: the
// optimal-string-alignment distance of textbook pairs, and times_given counting what CLI11 parsed
// (the callbacks' replacement for App::count, which can terminate the program when memory is out).
#include "unknown_flags.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

using hazard::cli::edit_distance;
using hazard::cli::times_given;

TEST(UnknownFlags, EditDistanceTextbookPairs) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);  // 2 substitutions, 1 insertion
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(edit_distance("ca", "ac"), 1u);            // one swap of neighbours
  EXPECT_EQ(edit_distance("no-timefx", "no-timefix"), 1u);
}

TEST(UnknownFlags, TimesGivenCountsParsedFlags) {
  CLI::App app;
  std::vector<double> q;
  bool json = false;
  double tau = 0;
  app.add_option("--quantiles", q)->delimiter(',');
  app.add_flag("--json", json);
  app.add_option("--tau", tau);
  std::vector<std::string> args = {"hazard", "--quantiles", "0.5", "--json", "--quantiles", "0.25"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  app.parse(static_cast<int>(argv.size()), argv.data());
  EXPECT_EQ(times_given(app, "--quantiles"), 2u);
  EXPECT_EQ(times_given(app, "--json"), 1u);
  EXPECT_EQ(times_given(app, "--tau"), 0u);
  // a flag the command does not have is a programming error, as App::count's OptionNotFound
  EXPECT_THROW(times_given(app, "--nope"), std::logic_error);
  EXPECT_THROW(times_given(app, "json"), std::logic_error);
}
