// Reading a file through its memory map releases the parsed pages as the parse goes
// (MappedFile::release): the bytes must read back unchanged afterwards, and a large CSV read from
// its file must give exactly the table parsed from the same text held in ordinary memory,
// including when a column is read a second time (numbers first, text later: the whole column is
// parsed again as categorical, after its pages were released).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "hazard/csv.hpp"
#include "hazard/read.hpp"
#include "io/text.hpp"
#include "targets.hpp"
#include "util/huge_pages.hpp"

using namespace hazard;

namespace {

std::string temp_path(const std::string& name) {
  return (testing::TempDir().empty() ? std::string("/tmp/") : testing::TempDir()) + name;
}

std::string big_csv(std::size_t n) {
  std::ostringstream s;
  s << "time,status,kind\n";
  for (std::size_t i = 0; i < n; ++i) {
    // "kind" is a number until the last rows, then text: the column is read again
    const std::string kind = i + 10 < n ? std::to_string(i % 7) : "other";
    s << fmt::format("{:.4f},{},{}\n", 0.5 + static_cast<double>(i % 1000) / 7.0,
                     i % 3 == 0 ? 0 : 1, kind);
  }
  return s.str();
}

}  // namespace

TEST(MappedFile, ReleasedPagesReadBackUnchanged) {
  const std::string path = temp_path("hazard_mapped_release.txt");
  std::string text(3 << 20, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  std::ofstream(path, std::ios::binary) << text;
  {
    detail::MappedFile file(path);
    ASSERT_EQ(file.view(), text);
    file.release(file.view().substr(5000, 2 << 20));
    file.release(std::string_view(text).substr(0, 1 << 20));  // not in the mapping: ignored
    EXPECT_EQ(file.view(), text);
  }
  std::remove(path.c_str());
}

TEST(MappedFile, LargeCsvFromFileEqualsParseOfText) {
  // ~18 MB: two chunks of ~9 MB, each released in 4 MB steps
  const std::string text = big_csv(1500000);
  ASSERT_GT(text.size(), std::size_t{16} << 20);  // each chunk > 2 release steps
  const std::string path = temp_path("hazard_mapped_big.csv");
  std::ofstream(path, std::ios::binary) << text;
  const Table a = read_csv(path, {.threads = 2});
  const Table b = parse_csv(text, path, {.threads = 2});
  std::remove(path.c_str());
  ASSERT_EQ(a.n_rows, 1500000u);
  ASSERT_EQ(a.n_rows, b.n_rows);
  EXPECT_EQ(a.line, b.line);
  for (const char* name : {"time", "status", "kind"}) {
    const Column& x = a.at(name);
    const Column& y = b.at(name);
    EXPECT_EQ(x.is_numeric(), y.is_numeric()) << name;
    EXPECT_EQ(x.numbers, y.numbers) << name;
    EXPECT_EQ(x.codes, y.codes) << name;
    EXPECT_EQ(x.levels, y.levels) << name;
  }
  EXPECT_FALSE(a.at("kind").is_numeric());
  EXPECT_EQ(a.at("kind").levels.size(), 8u);  // "0".."6" and "other"
}

// MappedFile::read copies a part of the mapping into a buffer (reused, grown, never shrunk) and
// gives any other bytes back as they are.
TEST(MappedFile, ReadCopiesPartsOfTheMapping) {
  const std::string path = temp_path("hazard_mapped_read.txt");
  std::string text(1 << 20, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i * 7 % 26);
  std::ofstream(path, std::ios::binary) << text;
  {
    detail::MappedFile file(path);
    std::string buffer;
    const std::string_view all = file.read(file.view(), buffer);
    EXPECT_EQ(all, text);
    EXPECT_EQ(all.data(), buffer.data());  // a copy, not the mapping
    const std::string_view part = file.read(file.view().substr(123457, 1000), buffer);
    EXPECT_EQ(part, text.substr(123457, 1000));
    EXPECT_EQ(buffer.size(), text.size());  // not shrunk
    const std::string_view outside = std::string_view(text).substr(10, 20);
    EXPECT_EQ(file.read(outside, buffer).data(), outside.data());  // not in the mapping: itself
    EXPECT_TRUE(file.read(file.view().substr(5, 0), buffer).empty());
  }
  std::remove(path.c_str());
}

// A CSV file read in windows (each read into a reused buffer, ending at a record end found by the
// quotes) gives exactly the table, or the error, of its text parsed in one piece: records with
// quoted line breaks, doubled quotes, CRLF, blank lines, UTF-8 text, and records longer than the
// window (the window doubles), for windows of 3 bytes to 64 kB and 1 to 3 threads.
TEST(MappedFile, CsvReadInWindowsFromFileEqualsParseOfText) {
  std::string text = "id,note,x\r\n";
  for (int i = 0; i < 3000; ++i) {
    text += fmt::format("{},", i);
    switch (i % 6) {
      case 0: text += "\"two\nlines, \"\"q\"\"\""; break;
      case 1: text += "caf\xc3\xa9"; break;
      case 2:
        text += '"';
        text.append(static_cast<std::size_t>(i % 500), 'L');
        text += "\n\"";
        break;
      case 3: break;
      default: text += "plain"; break;
    }
    text += fmt::format(",{}.25", i % 13);
    text += i % 4 == 0 ? "\r\n" : "\n";
    if (i % 97 == 0) text += "\n";  // a blank line
  }
  const std::string path = temp_path("hazard_mapped_windows.csv");
  // The text parsed in memory, in one piece: its row count or its error.
  auto in_memory = [&](const std::string& content, std::size_t threads) {
    try {
      return testing::PrintToString(parse_csv(content, path, {.threads = threads}).n_rows);
    } catch (const DataError& e) {
      return std::string(e.what());
    }
  };
  // The file (holding `content`) read in windows: its row count when its table is that of the
  // text in memory to the bit, or its error.
  auto from_file = [&](const std::string& content, std::size_t threads, std::size_t window) {
    try {
      detail::MappedFile file(path);
      const Table t = detail::read_csv_mapped(file, path, {.threads = threads}, window);
      if (!hazard::fuzz::same_bits(t, parse_csv(content, path, {.threads = threads})))
        return std::string("tables differ");
      return testing::PrintToString(t.n_rows);
    } catch (const DataError& e) {
      return std::string(e.what());
    }
  };
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  for (std::size_t threads = 1; threads <= 3; ++threads)
    for (std::size_t window : {3u, 64u, 700u, 65536u})
      EXPECT_EQ(from_file(text, threads, window), "3000") << threads << " " << window;
  // errors: an invalid byte late in the file, then also a parse error before it
  std::string bad = text;
  bad.insert(bad.size() - 2000, 1, '\xff');
  std::string both = bad;
  both.insert(both.find("\n1000,") + 1, std::string_view("\"x\"y,"));
  for (const std::string* t : {&bad, &both}) {
    const std::string expected = in_memory(*t, 1);
    EXPECT_NE(expected.find("not UTF-8"), std::string::npos) << expected;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << *t;
    for (std::size_t threads = 1; threads <= 3; ++threads)
      for (std::size_t window : {3u, 64u, 65536u})
        EXPECT_EQ(from_file(*t, threads, window), expected) << threads << " " << window;
  }
  std::remove(path.c_str());
}

TEST(HugePages, AdviceKeepsContentsAndSizes) {
  std::vector<double> v;
  detail::resize_huge(v, std::size_t{3} << 20, 1.5);  // 24 MB: spans whole 2 MiB pages
  ASSERT_EQ(v.size(), std::size_t{3} << 20);
  EXPECT_EQ(v.front(), 1.5);
  EXPECT_EQ(v.back(), 1.5);
  std::vector<int> small{1, 2, 3};
  detail::reserve_huge(small, 10);  // below one huge page: a plain reserve
  EXPECT_EQ(small, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(small.capacity(), 10u);
  detail::advise_huge_pages(nullptr, 0);
}

// A pipe has no size and cannot be mapped: it is read to its end (it used to read as empty).
TEST(MappedFile, PipeIsReadToItsEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string text = "time,status\n1,1\n2,0\n";
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  const std::string path = "/dev/fd/" + std::to_string(fds[0]);
  EXPECT_TRUE(is_stream(path));
  {
    detail::MappedFile file(path);
    EXPECT_EQ(file.view(), text);
    file.release(file.view());  // not a mapping: nothing happens
    EXPECT_EQ(file.view(), text);
  }
  ::close(fds[0]);
  EXPECT_TRUE(is_stream("-"));
  EXPECT_FALSE(is_stream(temp_path("hazard_no_such_file")));
  EXPECT_EQ(input_name("-"), "<stdin>");
}
