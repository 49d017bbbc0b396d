// SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf" examples).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "hazard/digest.hpp"
#include "hazard/error.hpp"

TEST(Sha256, NistVectors) {
  EXPECT_EQ(hazard::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hazard::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hazard::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, FileEqualsBytesAcrossBlockBoundaries) {
  // One million 'a' (the FIPS long-message example) spans many 64 KiB read blocks.
  const std::string content(1000000, 'a');
  const auto path = std::filesystem::temp_directory_path() / "hazard_sha256_test.bin";
  {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  EXPECT_EQ(hazard::sha256_file(path.string()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  std::filesystem::remove(path);
}

TEST(Sha256, MissingFileIsAnIoError) {
  EXPECT_THROW(hazard::sha256_file("/nonexistent/file.csv"), hazard::IoError);
}
