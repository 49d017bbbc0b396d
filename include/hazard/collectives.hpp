// Collective operations built on the few primitives of hazard::Cluster (cluster.hpp): gathers of
// variable-length data to every rank, for the distributed analyses (docs/scale.md).
//
// Contract: every rank calls each function in the same order (they are collective); rank r's
// contribution is element r of the result, identical on every rank. On a single process the
// result is the caller's own data. Messages go to rank 0 (send/receive with tag
// `tag_gather`), which broadcasts the concatenation: 2 (N - 1) point-to-point messages and two
// broadcasts per call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hazard/cluster.hpp"

namespace hazard::parallel {

/// The tag of the gathers' point-to-point messages (the simulation runner uses others).
inline constexpr int tag_gather = 7301;

/// Every rank's bytes, on every rank: result[r] = rank r's `mine`.
std::vector<std::vector<std::byte>> all_gather(const Cluster& cluster, std::span<const std::byte> mine);

/// Every rank's bytes on rank 0 (result[r] = rank r's `mine`); an empty result on the other ranks.
/// N - 1 point-to-point messages pairs (size, bytes), no broadcast.
std::vector<std::vector<std::byte>> gather(const Cluster& cluster, std::span<const std::byte> mine);

/// Every rank's numbers on rank 0; an empty result on the other ranks.
std::vector<std::vector<double>> gather(const Cluster& cluster, std::span<const double> mine);

/// Every rank's numbers, on every rank.
std::vector<std::vector<double>> all_gather(const Cluster& cluster, std::span<const double> mine);

/// Every rank's strings, on every rank.
std::vector<std::vector<std::string>> all_gather(const Cluster& cluster, const std::vector<std::string>& mine);

/// The sum over the ranks of one count, on every rank (exact below 2^53).
double sum(const Cluster& cluster, double mine);

/// The largest value over the ranks, on every rank.
double max(const Cluster& cluster, double mine);

}  // namespace hazard::parallel
