// SHA-256 digests of input files, recorded in every report so that a reader can check which data
// produced it (computed by OpenSSL's libcrypto, a maintained Debian library).
//
// Example:
//   std::string h = hazard::sha256_file("adtte.csv");  // 64 lower-case hex digits
#pragma once

#include <string>
#include <string_view>

namespace hazard {

/// SHA-256 of the bytes, as 64 lower-case hexadecimal digits.
std::string sha256_hex(std::string_view bytes);

/// SHA-256 of a file's content (read in blocks). Throws IoError naming the path.
std::string sha256_file(const std::string& path);

}  // namespace hazard
