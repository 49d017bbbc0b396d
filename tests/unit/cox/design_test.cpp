// The model terms and design matrix of src/cox/design.cpp against R's terms() and model.matrix()
// on a 6-row data set (the column names R printed, recorded below; R 4.2.2):
//   d <- data.frame(a = factor(c("p","q","r","p","q","r")), b = factor(c("u","v","u","v","u","v")),
//                   x = c(1.5, 2, 3, 4, 5, 6.5))
//   colnames(model.matrix(~a:b, d))[-1]      ap:bu aq:bu ar:bu ap:bv aq:bv ar:bv
//   colnames(model.matrix(~b + a:b, d))[-1]  bv bu:aq bv:aq bu:ar bv:ar
//   colnames(model.matrix(~a*b, d))[-1]      aq ar bv aq:bv ar:bv
//   colnames(model.matrix(~x + x:a, d))[-1]  x x:aq x:ar
//   colnames(model.matrix(~a + x:a, d))[-1]  aq ar ap:x aq:x ar:x
// (hazard writes a factor's level in brackets: R's "aq:bv" is "a[q]:b[v]").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/csv.hpp"
#include "hazard/error.hpp"

using namespace hazard;

namespace {

const Table& data() {
  static const Table t = parse_csv("a,b,x\np,u,1.5\nq,v,2\nr,u,3\np,v,4\nq,u,5\nr,v,6.5\n", "d.csv",
                                   {.columns = {"a", "b", "x"}});
  return t;
}

std::vector<std::string> names(const std::vector<std::string>& items, const std::string& lead = "") {
  const std::vector<std::size_t> rows{0, 1, 2, 3, 4, 5};
  return build_design(data(), rows, parse_model_terms(items, lead)).names;
}

}  // namespace

TEST(Design, TermsAsRsFormula) {
  const ModelTerms m = parse_model_terms({"a*b*x"});
  ASSERT_EQ(m.variables.size(), 3u);
  // a, b, x, a:b, a:x, b:x, a:b:x (R's order: by degree, then appearance)
  EXPECT_EQ(m.terms, (std::vector<std::vector<std::size_t>>{{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}}));
  EXPECT_EQ(parse_model_terms({"a*b:x"}).terms, (std::vector<std::vector<std::size_t>>{{0}, {1, 2}, {0, 1, 2}}));
  // repeated terms count once; the lead (the arm) is the first term
  EXPECT_EQ(parse_model_terms({"x", "a:x", "x"}, "a").terms,
            (std::vector<std::vector<std::size_t>>{{0}, {1}, {0, 1}}));
  EXPECT_THROW(parse_model_terms({"a*"}), UsageError);
  EXPECT_THROW(parse_model_terms({"a::b"}), UsageError);
}

TEST(Design, ColumnsAsRsModelMatrix) {
  EXPECT_EQ(names({"a:b"}), (std::vector<std::string>{"a[p]:b[u]", "a[q]:b[u]", "a[r]:b[u]", "a[p]:b[v]",
                                                      "a[q]:b[v]", "a[r]:b[v]"}));
  EXPECT_EQ(names({"b", "a:b"}), (std::vector<std::string>{"b[v]", "b[u]:a[q]", "b[v]:a[q]", "b[u]:a[r]", "b[v]:a[r]"}));
  EXPECT_EQ(names({"a*b"}), (std::vector<std::string>{"a[q]", "a[r]", "b[v]", "a[q]:b[v]", "a[r]:b[v]"}));
  EXPECT_EQ(names({"x", "x:a"}), (std::vector<std::string>{"x", "x:a[q]", "x:a[r]"}));
  EXPECT_EQ(names({"a", "x:a"}), (std::vector<std::string>{"a[q]", "a[r]", "a[p]:x", "a[q]:x", "a[r]:x"}));
}

TEST(Design, InteractionColumnsAreProducts) {
  const std::vector<std::size_t> rows{0, 1, 2, 3, 4, 5};
  const Design d = build_design(data(), rows, parse_model_terms({"a*x"}));
  ASSERT_EQ(d.names, (std::vector<std::string>{"a[q]", "a[r]", "x", "a[q]:x", "a[r]:x"}));
  const std::vector<double> aq_x{0, 2, 0, 0, 5, 0}, ar_x{0, 0, 3, 0, 0, 6.5};
  for (Eigen::Index i = 0; i < 6; ++i) {
    EXPECT_EQ(d.x(i, 3), aq_x[static_cast<std::size_t>(i)]);
    EXPECT_EQ(d.x(i, 4), ar_x[static_cast<std::size_t>(i)]);
  }
  EXPECT_EQ(d.term, (std::vector<std::size_t>{0, 0, 1, 2, 2}));
  EXPECT_EQ(d.term_names, (std::vector<std::string>{"a", "x", "a:x"}));
}
