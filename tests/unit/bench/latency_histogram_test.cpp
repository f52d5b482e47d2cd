#include "tools/bench/report/latency_histogram.hpp"

#include <gtest/gtest.h>

namespace seckill::bench {
namespace {

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::uint64_t v = 1; v <= 50; ++v) histogram.record(v);
  EXPECT_EQ(histogram.count(), 50u);
  EXPECT_EQ(histogram.percentile(0.5), 25u);
  EXPECT_EQ(histogram.percentile(1.0), 50u);
  EXPECT_EQ(histogram.max(), 50u);
  EXPECT_DOUBLE_EQ(histogram.mean(), 25.5);
}

TEST(LatencyHistogram, LargeValuesWithinTwoPercent) {
  LatencyHistogram histogram;
  for (std::uint64_t v = 1; v <= 100000; ++v) histogram.record(v * 10);
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = q * 1'000'000;
    const double got = static_cast<double>(histogram.percentile(q));
    EXPECT_NEAR(got, exact, exact * 0.02) << q;
  }
  EXPECT_EQ(histogram.percentile(1.0), 1'000'000u);
}

TEST(LatencyHistogram, MergeAddsUp) {
  LatencyHistogram a, b;
  a.record(10);
  b.record(1000);
  b.record(5'000'000'000ULL);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.max(), 5'000'000'000ULL);
  EXPECT_EQ(a.percentile(0.01), 10u);
}

TEST(LatencyHistogram, EmptyIsZero) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.percentile(0.99), 0u);
  EXPECT_EQ(histogram.mean(), 0.0);
}

}  // namespace
}  // namespace seckill::bench
