#include "tools/bench/load/send_schedule.hpp"

#include <gtest/gtest.h>

namespace seckill::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(SendSchedule, RequestNIsDueNOverTheRateAfterTheStart) {
  const auto start = SendSchedule::Clock::now();
  const SendSchedule schedule(400, start);
  EXPECT_TRUE(schedule.open_loop());
  EXPECT_EQ(schedule.due(0), start);
  EXPECT_EQ(schedule.due(1) - start, nanoseconds(2'500'000));
  EXPECT_EQ(schedule.due(400) - start, milliseconds(1000));
  // Computed from n, not summed step by step: an hour in, still exact to the nanosecond.
  EXPECT_EQ(schedule.due(400ull * 3600) - start, std::chrono::hours(1));
}

TEST(SendSchedule, DueTimesNeverGoBackwards) {
  const auto start = SendSchedule::Clock::now();
  const SendSchedule schedule(33'333.3, start);
  for (std::uint64_t n = 1; n < 100'000; ++n) ASSERT_LE(schedule.due(n - 1), schedule.due(n)) << n;
}

TEST(SendSchedule, ARateOfZeroIsAClosedLoop) {
  const auto start = SendSchedule::Clock::now();
  const SendSchedule schedule(0, start);
  EXPECT_FALSE(schedule.open_loop());
  EXPECT_EQ(schedule.due(1000), start);
}

}  // namespace
}  // namespace seckill::bench
