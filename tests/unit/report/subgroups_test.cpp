// Subgroups of `hazard report`: --cut, the refusal of a continuous column, the interaction test
// against R (tests/reference/report/make_report.R: anova(coxph(Surv(time, status) ~ arm +
// celltype), coxph(Surv(time, status) ~ arm * celltype)) on survival's veteran, written to
// report.json), and the forest block.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hazard/csv.hpp"
#include "hazard/error.hpp"
#include "hazard/report.hpp"
#include "hazard/survdata.hpp"
#include "tolerances.hpp"

namespace hr = hazard::report;

namespace {

hazard::Table veteran() {
  return hazard::read_csv(std::string(HAZARD_REFERENCE_DIR) + "/report/veteran.csv",
                          {.columns = {"trt", "celltype", "time", "status", "age", "prior"}});
}

hazard::SurvData veteran_data(const hazard::Table& t) {
  hazard::Roles roles;
  roles.time = "time";
  roles.event = "status";
  roles.group = "trt";
  return hazard::build_surv_data(t, roles);
}

}  // namespace

TEST(Subgroups, InteractionTestAsRAnova) {
  const hazard::Table t = veteran();
  const hazard::SurvData d = veteran_data(t);
  const hazard::Factor f = hazard::make_factor(t.at("celltype"));
  std::vector<std::int32_t> code;
  for (std::size_t r : d.row) code.push_back(f.codes[r]);
  const hr::InteractionTest it = hr::interaction_test(d, code, f.levels, {});
  // R 4.2.2, survival 3.5-3 (report.json, veteran, celltype heading).
  EXPECT_NEAR(it.chisq, 8.21622904065646, 8.21622904065646 * hazard::tol::iterative);
  EXPECT_EQ(it.df, 3);
  EXPECT_NEAR(it.p, 0.0417480175157968, 0.0417480175157968 * hazard::tol::iterative);
  EXPECT_TRUE(it.note.empty());
}

TEST(Subgroups, BlockHasHeadingWithInteractionAndOneRowPerLevel) {
  const hazard::Table t = veteran();
  const hazard::SurvData d = veteran_data(t);
  const auto rows = hr::subgroup_block(d, t, "celltype", "Cell type", {});
  ASSERT_EQ(rows.size(), 5u);  // heading + adeno, large, smallcell, squamous
  EXPECT_TRUE(rows[0].heading);
  EXPECT_EQ(rows[0].label, "Cell type");
  EXPECT_NEAR(rows[0].p_interaction, 0.0417480175157968,
              0.0417480175157968 * hazard::tol::iterative);
  EXPECT_EQ(rows[1].level, "adeno");
  EXPECT_EQ(rows[1].comparison, "2 vs 1");
  // R: coxph(Surv(time, status) ~ factor(trt), subset = celltype == "adeno")
  EXPECT_NEAR(rows[1].hr, 1.22955334768513, 1.22955334768513 * hazard::tol::iterative);
  EXPECT_NEAR(rows[1].lower, 0.527027203484235, 0.527027203484235 * hazard::tol::iterative);
}

TEST(Subgroups, CutMakesTwoLevels) {
  hazard::Table t = veteran();
  hr::cut_column(t, "age", 65);
  const hazard::Column& c = t.at("age");
  EXPECT_FALSE(c.is_numeric());
  ASSERT_EQ(c.levels, (std::vector<std::string>{"<65", ">=65"}));
  EXPECT_EQ(c.text(0), ">=65");  // veteran row 1: age 69
  EXPECT_EQ(c.text(1), "<65");   // age 64
  EXPECT_THROW(hr::cut_column(t, "celltype", 2), hazard::UsageError);
  EXPECT_THROW(hr::cut_column(t, "nosuch", 2), hazard::UsageError);
}

TEST(Subgroups, ContinuousColumnRefusedWithHint) {
  const hazard::Table t = veteran();
  const hazard::SurvData d = veteran_data(t);
  EXPECT_NO_THROW(hr::check_subgroup_column(t, d, "celltype"));
  EXPECT_NO_THROW(hr::check_subgroup_column(t, d, "prior"));  // 0 / 10
  try {
    hr::check_subgroup_column(t, d, "age");
    FAIL() << "age accepted as a subgroup";
  } catch (const hazard::UsageError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("--subgroups age: a numeric column with"), std::string::npos) << m;
    EXPECT_NE(m.find("--cut age=VALUE"), std::string::npos) << m;
  }
}
