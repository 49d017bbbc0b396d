// The gathers of src/parallel/collectives.cpp over 1-4 thread "ranks" (thread_cluster.hpp):
// every rank gets every rank's data, in rank order, including empty contributions.
#include "hazard/collectives.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "thread_cluster.hpp"

namespace hazard {
namespace {

TEST(Collectives, GatherNumbersStringsAndSums) {
  for (int n = 1; n <= 4; ++n) {
    test::run_ranks(n, [n](const Cluster& c) {
      const int r = c.rank();
      std::vector<double> mine(static_cast<std::size_t>(r), 0.5 + r);  // rank 0 sends nothing
      auto all = parallel::all_gather(c, std::span<const double>(mine));
      EXPECT_EQ(all.size(), static_cast<std::size_t>(n));
      for (int k = 0; k < n; ++k) {
        EXPECT_EQ(all[static_cast<std::size_t>(k)].size(), static_cast<std::size_t>(k));
        for (double v : all[static_cast<std::size_t>(k)]) EXPECT_EQ(v, 0.5 + k);
      }
      std::vector<std::string> words;
      for (int k = 0; k <= r; ++k) words.push_back(std::string(static_cast<std::size_t>(k), 'a') + "|" + std::to_string(r));
      auto strings = parallel::all_gather(c, words);
      for (int k = 0; k < n; ++k) {
        const auto& w = strings[static_cast<std::size_t>(k)];
        EXPECT_EQ(w.size(), static_cast<std::size_t>(k + 1));
        EXPECT_EQ(w.back(), std::string(static_cast<std::size_t>(k), 'a') + "|" + std::to_string(k));
      }
      auto root = parallel::gather(c, std::span<const double>(mine));
      EXPECT_EQ(root.size(), r == 0 ? static_cast<std::size_t>(n) : 0u);
      for (std::size_t k = 0; k < root.size(); ++k) EXPECT_EQ(root[k], std::vector<double>(k, 0.5 + static_cast<double>(k)));
      EXPECT_EQ(parallel::sum(c, r + 1.0), n * (n + 1) / 2.0);
      EXPECT_EQ(parallel::max(c, -static_cast<double>(r)), 0.0);
    });
  }
}

}  // namespace
}  // namespace hazard
