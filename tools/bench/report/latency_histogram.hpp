// LatencyHistogram: records latencies in microseconds into log-linear buckets (64 per power of
// two, so any percentile is within 1.6% of the truth) in constant memory, however long the run.
#pragma once

#include <array>
#include <cstdint>

namespace seckill::bench {

class LatencyHistogram {
 public:
  void record(std::uint64_t micros);
  void merge(const LatencyHistogram& other);

  /// The latency below which a share `q` (0..1) of the samples fall, in microseconds.
  std::uint64_t percentile(double q) const;
  std::uint64_t max() const { return max_; }
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }

 private:
  static constexpr int kSubBits = 6;  // 64 sub-buckets per power of two
  static constexpr int kBuckets = (64 - kSubBits + 1) << kSubBits;
  static std::size_t index_of(std::uint64_t micros);
  static std::uint64_t upper_bound_of(std::size_t index);

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace seckill::bench
