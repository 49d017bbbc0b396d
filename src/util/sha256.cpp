// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface; files are streamed in 64 KiB blocks so that
// large data sets are hashed without loading them.
#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "hazard/digest.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

using CtxPtr = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

CtxPtr new_context() {
  CtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  return ctx;
}

std::string finish(EVP_MD_CTX* ctx) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, md, &len) != 1) throw std::runtime_error("OpenSSL: SHA-256 failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  CtxPtr ctx = new_context();
  if (EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  return finish(ctx.get());
}

std::string sha256_file(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw IoError("cannot open '" + path + "': " + std::strerror(errno));
  CtxPtr ctx = new_context();
  std::unique_ptr<char[]> buf(new char[1 << 16]);
  for (;;) {
    std::size_t got = std::fread(buf.get(), 1, 1 << 16, f.get());
    if (got > 0 && EVP_DigestUpdate(ctx.get(), buf.get(), got) != 1)
      throw std::runtime_error("OpenSSL: SHA-256 failed");
    if (got < (1 << 16)) {
      if (std::ferror(f.get())) throw IoError("cannot read '" + path + "': " + std::strerror(errno));
      break;
    }
  }
  return finish(ctx.get());
}

}  // namespace hazard
