// Gathers over a Cluster (collectives.hpp): ranks > 0 send their bytes to rank 0, which (for the
// all_gathers) concatenates them in rank order and broadcasts the sizes and then the bytes.
#include "hazard/collectives.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace hazard::parallel {

std::vector<std::vector<std::byte>> gather(const Cluster& cluster, std::span<const std::byte> mine) {
  const int n = cluster.size();
  std::vector<std::vector<std::byte>> parts;
  if (cluster.rank() == 0) {
    parts.resize(static_cast<std::size_t>(n));
    parts[0].assign(mine.begin(), mine.end());
    for (int r = 1; r < n; ++r) {
      std::uint64_t size = 0;
      cluster.receive(r, tag_gather, std::as_writable_bytes(std::span(&size, 1)));
      auto& part = parts[static_cast<std::size_t>(r)];
      part.resize(static_cast<std::size_t>(size));
      if (size != 0) cluster.receive(r, tag_gather, part);
    }
  } else {
    const std::uint64_t size = mine.size();
    cluster.send(0, tag_gather, std::as_bytes(std::span(&size, 1)));
    if (size != 0) cluster.send(0, tag_gather, mine);
  }
  return parts;
}

std::vector<std::vector<std::byte>> all_gather(const Cluster& cluster, std::span<const std::byte> mine) {
  const auto ranks = static_cast<std::size_t>(cluster.size());
  if (ranks == 1) return {std::vector<std::byte>(mine.begin(), mine.end())};
  std::vector<std::vector<std::byte>> parts = gather(cluster, mine);
  std::vector<std::uint64_t> sizes(ranks, 0);
  std::vector<std::byte> all;
  if (cluster.rank() == 0) {
    for (std::size_t r = 0; r < ranks; ++r) {
      sizes[r] = parts[r].size();
      all.insert(all.end(), parts[r].begin(), parts[r].end());
    }
  }
  cluster.broadcast(0, std::as_writable_bytes(std::span(sizes)));
  std::uint64_t total = 0;
  for (auto s : sizes) total += s;
  all.resize(static_cast<std::size_t>(total));
  if (total != 0) cluster.broadcast(0, all);
  std::vector<std::vector<std::byte>> out(ranks);
  std::size_t at = 0;
  for (std::size_t r = 0; r < ranks; ++r) {
    out[r].assign(all.begin() + static_cast<std::ptrdiff_t>(at),
                  all.begin() + static_cast<std::ptrdiff_t>(at + sizes[r]));
    at += sizes[r];
  }
  return out;
}

namespace {
std::vector<std::vector<double>> as_numbers(const std::vector<std::vector<std::byte>>& bytes) {
  std::vector<std::vector<double>> out(bytes.size());
  for (std::size_t r = 0; r < bytes.size(); ++r) {
    out[r].resize(bytes[r].size() / sizeof(double));
    if (!out[r].empty()) std::memcpy(out[r].data(), bytes[r].data(), out[r].size() * sizeof(double));
  }
  return out;
}
}  // namespace

std::vector<std::vector<double>> gather(const Cluster& cluster, std::span<const double> mine) {
  return as_numbers(gather(cluster, std::as_bytes(mine)));
}

std::vector<std::vector<double>> all_gather(const Cluster& cluster, std::span<const double> mine) {
  return as_numbers(all_gather(cluster, std::as_bytes(mine)));
}

// Strings travel as their lengths (8 bytes each) followed by their characters.
std::vector<std::vector<std::string>> all_gather(const Cluster& cluster, const std::vector<std::string>& mine) {
  std::vector<std::byte> bytes;
  auto put = [&](const void* p, std::size_t k) {
    const auto* b = static_cast<const std::byte*>(p);
    bytes.insert(bytes.end(), b, b + k);
  };
  const std::uint64_t count = mine.size();
  put(&count, sizeof count);
  for (const auto& s : mine) {
    const std::uint64_t len = s.size();
    put(&len, sizeof len);
    put(s.data(), s.size());
  }
  auto parts = all_gather(cluster, bytes);
  std::vector<std::vector<std::string>> out(parts.size());
  for (std::size_t r = 0; r < parts.size(); ++r) {
    const auto& p = parts[r];
    std::size_t at = 0;
    auto get = [&](void* dst, std::size_t k) {
      if (at + k > p.size()) throw std::runtime_error("all_gather: truncated list of strings");
      std::memcpy(dst, p.data() + at, k);
      at += k;
    };
    std::uint64_t c = 0;
    get(&c, sizeof c);
    out[r].reserve(static_cast<std::size_t>(c));
    for (std::uint64_t i = 0; i < c; ++i) {
      std::uint64_t len = 0;
      get(&len, sizeof len);
      std::string s(static_cast<std::size_t>(len), '\0');
      get(s.data(), s.size());
      out[r].push_back(std::move(s));
    }
  }
  return out;
}

double sum(const Cluster& cluster, double mine) {
  cluster.sum(std::span(&mine, 1));
  return mine;
}

double max(const Cluster& cluster, double mine) {
  const auto all = all_gather(cluster, std::span<const double>(&mine, 1));
  double m = mine;
  for (const auto& v : all) m = std::max(m, v.at(0));
  return m;
}

}  // namespace hazard::parallel
