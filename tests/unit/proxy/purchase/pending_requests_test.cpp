#include "proxy/purchase/pending_requests.hpp"

#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace seckill::proxy {
namespace {

using Clock = PendingRequests::Clock;
using namespace std::chrono_literals;

void ignore(const PurchaseReply&) {}

TEST(PendingRequests, TakeReturnsTheCompletionOnce) {
  PendingRequests pending(10, "p-1-");
  int calls = 0;
  auto id = pending.add(Clock::now() + 1s, [&](const PurchaseReply&) { ++calls; });
  ASSERT_TRUE(id);
  EXPECT_EQ(pending.size(), 1u);
  auto completion = pending.take(*id);
  ASSERT_TRUE(completion);
  (*completion)(PurchaseReply{});
  EXPECT_FALSE(pending.take(*id));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingRequests, IdsCarryThePrefixAndAreUnique) {
  PendingRequests pending(1000, "proxy-a-1700000000000-");
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    auto id = pending.add(Clock::now() + 1s, ignore);
    ASSERT_TRUE(id);
    EXPECT_TRUE(id->starts_with("proxy-a-1700000000000-")) << *id;
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(PendingRequests, AddFailsWhenFull) {
  PendingRequests pending(2, "p-1-");
  auto a = pending.add(Clock::now(), ignore);
  ASSERT_TRUE(a);
  EXPECT_TRUE(pending.add(Clock::now(), ignore));
  EXPECT_FALSE(pending.add(Clock::now(), ignore));
  ASSERT_TRUE(pending.take(*a));
  EXPECT_TRUE(pending.add(Clock::now(), ignore));
}

TEST(PendingRequests, IdsItDidNotGiveOutFindNothing) {
  PendingRequests pending(10, "p-1-");
  auto id = pending.add(Clock::now() + 1s, ignore);
  ASSERT_TRUE(id);
  ASSERT_EQ(*id, "p-1-0");
  // Another proxy's id with the same number, the number written differently, garbage.
  for (std::string_view other : {"q-1-0", "p-2-0", "p-1-00", "p-1-+0", "p-1-", "p-1-0x", "", "0",
                                 "p-1-18446744073709551616"}) {
    EXPECT_FALSE(pending.take(other)) << other;
  }
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_TRUE(pending.take("p-1-0"));
}

TEST(PendingRequests, TakeExpiredTakesOnlyThePastAndSkipsAnswered) {
  PendingRequests pending(10, "p-1-");
  const auto now = Clock::now();
  auto old1 = pending.add(now - 2ms, ignore);
  auto old2 = pending.add(now - 1ms, ignore);
  ASSERT_TRUE(old1 && old2);
  ASSERT_TRUE(pending.add(now + 1h, ignore));
  ASSERT_TRUE(pending.take(*old1));  // answered by its reply before the sweep
  auto expired = pending.take_expired(now);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].first, *old2);
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_TRUE(pending.take_expired(now).empty());
}

TEST(PendingRequests, RacingTakersAnswerEachRequestExactlyOnce) {
  PendingRequests pending(100000, "p-1-");
  constexpr int kRequests = 20000;
  std::atomic<int> answered{0};
  std::vector<std::string> ids;
  for (int i = 0; i < kRequests; ++i) {
    auto id = pending.add(Clock::now() - 1ms, [&](const PurchaseReply&) { answered.fetch_add(1); });
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  std::thread replier([&] {
    for (const auto& id : ids) {
      if (auto c = pending.take(id)) (*c)(PurchaseReply{});
    }
  });
  std::thread sweeper([&] {
    for (int round = 0; round < 50; ++round) {
      for (auto& [id, c] : pending.take_expired(Clock::now())) c(PurchaseReply{});
    }
  });
  replier.join();
  sweeper.join();
  EXPECT_EQ(answered.load(), kRequests);
  EXPECT_EQ(pending.size(), 0u);
}

}  // namespace
}  // namespace seckill::proxy
