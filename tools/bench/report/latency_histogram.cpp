#include "tools/bench/report/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace seckill::bench {

std::size_t LatencyHistogram::index_of(std::uint64_t micros) {
  // Values below 64 get a bucket each; above, the top kSubBits bits below the leading one pick
  // the sub-bucket within the value's power of two.
  if (micros < (1u << kSubBits)) return static_cast<std::size_t>(micros);
  const int magnitude = 63 - std::countl_zero(micros);  // >= kSubBits
  const int shift = magnitude - kSubBits;
  const std::uint64_t sub = (micros >> shift) & ((1u << kSubBits) - 1);
  return static_cast<std::size_t>(((shift + 1) << kSubBits) + sub);
}

std::uint64_t LatencyHistogram::upper_bound_of(std::size_t index) {
  if (index < (1u << kSubBits)) return index;
  const int shift = static_cast<int>(index >> kSubBits) - 1;
  const std::uint64_t sub = index & ((1u << kSubBits) - 1);
  return (((1ULL << kSubBits) | sub) << shift) + ((1ULL << shift) - 1);
}

void LatencyHistogram::record(std::uint64_t micros) {
  ++counts_[std::min(index_of(micros), counts_.size() - 1)];
  ++count_;
  sum_ += micros;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= std::max<std::uint64_t>(rank, 1)) return std::min(upper_bound_of(i), max_);
  }
  return max_;
}

}  // namespace seckill::bench
