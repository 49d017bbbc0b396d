// Output safety (include/hazard/output.hpp): atomic files, special targets, refusal to overwrite an
// input, and CSV cells (RFC 4180 quoting; the OWASP guard against formula injection). Expected
// texts are written out by hand from those rules.
#include "hazard/output.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "hazard/error.hpp"

using namespace hazard;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path dir;
  TempDir() {
    dir = fs::temp_directory_path() / ("hazard_output_test_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempDir() { fs::remove_all(dir); }
  std::string operator/(const std::string& name) const { return (dir / name).string(); }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(CsvText, FormulaCellsGetAnApostrophe) {
  EXPECT_EQ(csv_text("=1+1"), "'=1+1");
  EXPECT_EQ(csv_text("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(csv_text("-2+3"), "'-2+3");
  EXPECT_EQ(csv_text("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(csv_text("\tx"), "'\tx");
  EXPECT_EQ(csv_text("\rx"), "\"'\rx\"");  // CR also needs quotes
  EXPECT_EQ(csv_text("-"), "'-");
  EXPECT_EQ(csv_text("-inf"), "'-inf");
  EXPECT_EQ(csv_text("-1.5 "), "'-1.5 ");
  EXPECT_EQ(csv_text("=A,B"), "\"'=A,B\"");  // the apostrophe inside the quotes
}

TEST(CsvText, NumbersAndPlainTextAreUnchanged) {
  for (const char* s : {"-1.5", "+3", "-2e-5", "-0", "-.5", "1e10", "Placebo", "Drug X", "", "a'b"})
    EXPECT_EQ(csv_text(s), s) << s;
  EXPECT_FALSE(csv_formula_like("-1.5"));
  EXPECT_TRUE(csv_formula_like("-1.5x"));
}

TEST(CsvText, QuotingFollowsRfc4180) {
  EXPECT_EQ(csv_text("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_text("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_text("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvText, RawTurnsTheGuardOff) {
  EXPECT_EQ(csv_text("=1+1", {.raw = true}), "=1+1");
  EXPECT_EQ(csv_text("=A,B", {.raw = true}), "\"=A,B\"");
}

TEST(CsvWriter, RowsOfTextAndNumbers) {
  CsvWriter w;
  w.text("arm").text("value").text("note").row();
  w.text("=evil").number(-1.5).text("a,b").row();
  w.text("B").number(std::numeric_limits<double>::quiet_NaN()).empty().row();
  w.integer(-3).fixed(2.0 / 3, 4).general(1234567.0, 3).row();
  w.number(0.1).number(1e-7).number(-std::numeric_limits<double>::infinity()).row();
  EXPECT_EQ(w.take(),
            "arm,value,note\n'=evil,-1.5,\"a,b\"\nB,NA,\n-3,0.6667,1.23e+06\n0.1,1e-07,NA\n");
  CsvWriter r({.raw = true, .infinity = true});
  r.text("=evil").number(std::numeric_limits<double>::infinity()).number(-std::numeric_limits<double>::infinity())
      .number(std::numeric_limits<double>::quiet_NaN()).row();
  EXPECT_EQ(r.take(), "=evil,Inf,-Inf,NA\n");
}

TEST(OutputFile, CommitWritesAndLeavesNoTemporary) {
  TempDir d;
  const std::string path = d / "out.csv";
  {
    OutputFile f(path);
    f.write("a,b\n");
    f.write("1,2\n");
    EXPECT_FALSE(fs::exists(path));  // nothing at the target before commit
    f.commit();
  }
  EXPECT_EQ(slurp(path), "a,b\n1,2\n");
  EXPECT_EQ(d.entries(), 1u);
}

TEST(OutputFile, FailureLeavesTheOldFileAndNoTemporary) {
  TempDir d;
  const std::string path = d / "out.csv";
  write_file(path, "old\n");
  ::chmod(path.c_str(), 0640);
  try {
    OutputFile f(path);
    f.write("new, partial");
    throw std::runtime_error("the command failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(slurp(path), "old\n");
  EXPECT_EQ(d.entries(), 1u);
  write_file(path, "new\n");
  EXPECT_EQ(slurp(path), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);  // replacing keeps the permissions
}

TEST(OutputFile, SymbolicLinkKeepsTheLink) {
  TempDir d;
  write_file(d / "real.csv", "old\n");
  fs::create_symlink(d / "real.csv", d / "link.csv");
  write_file(d / "link.csv", "new\n");
  EXPECT_TRUE(fs::is_symlink(d / "link.csv"));
  EXPECT_EQ(slurp(d / "real.csv"), "new\n");
}

TEST(OutputFile, SpecialTargetsAreWrittenDirectlyAndChecked) {
  {
    OutputFile f("/dev/null");
    EXPECT_TRUE(f.direct());
    f.write("x");
    f.commit();
  }
  if (fs::exists("/dev/full")) {
    try {
      OutputFile f("/dev/full");
      f.write(std::string(1 << 16, 'x'));
      f.commit();
      ADD_FAILURE() << "no error writing /dev/full";
    } catch (const IoError& e) {
      EXPECT_EQ(std::string(e.what()), "/dev/full: cannot write: No space left on device");
    }
  }
  EXPECT_THROW(OutputFile(fs::temp_directory_path().string()), IoError);  // a directory
  EXPECT_THROW(OutputFile("/nonexistent-dir/x.csv"), IoError);
}

TEST(OutputSet, NothingIsRenamedUntilCommit) {
  TempDir d;
  {
    OutputSet set;
    set.add(d / "a.txt").write("a");
    set.add(d / "b.txt").write("b");
    EXPECT_FALSE(fs::exists(d / "a.txt"));
  }  // a failure before commit: no file at all
  EXPECT_EQ(d.entries(), 0u);
  OutputSet set;
  set.add(d / "a.txt").write("a");
  set.add(d / "b.txt").write("b");
  set.commit();
  EXPECT_EQ(slurp(d / "a.txt"), "a");
  EXPECT_EQ(slurp(d / "b.txt"), "b");
  EXPECT_EQ(d.entries(), 2u);
}

TEST(RefuseOverwrite, SameFileUnderAnyName) {
  TempDir d;
  write_file(d / "in.csv", "x\n");
  fs::create_hard_link(d / "in.csv", d / "hard.csv");
  EXPECT_THROW(refuse_overwrite(d / "in.csv", {d / "in.csv"}), UsageError);
  EXPECT_THROW(refuse_overwrite((d.dir / "." / "in.csv").string(), {d / "in.csv"}), UsageError);
  EXPECT_THROW(refuse_overwrite(d / "hard.csv", {"", d / "in.csv"}), UsageError);
  EXPECT_NO_THROW(refuse_overwrite(d / "new.csv", {d / "in.csv"}));
  EXPECT_NO_THROW(refuse_overwrite("-", {"-"}));
  try {
    refuse_overwrite(d / "in.csv", {d / "in.csv"}, "--out");
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "--out " + (d / "in.csv") + ": this is the input file " + (d / "in.csv") +
                                         ": writing it would destroy the data being read (give another path)");
  }
}
