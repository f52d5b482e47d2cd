#include "proxy/pending_requests.hpp"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace seckill::proxy {
namespace {

using Clock = PendingRequests::Clock;
using namespace std::chrono_literals;

TEST(PendingRequests, TakeReturnsTheCompletionOnce) {
  PendingRequests pending(10);
  int calls = 0;
  ASSERT_TRUE(pending.add("a", Clock::now() + 1s, [&](const PurchaseReply&) { ++calls; }));
  EXPECT_EQ(pending.size(), 1u);
  auto completion = pending.take("a");
  ASSERT_TRUE(completion);
  (*completion)(PurchaseReply{});
  EXPECT_FALSE(pending.take("a"));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingRequests, AddFailsWhenFull) {
  PendingRequests pending(2);
  EXPECT_TRUE(pending.add("a", Clock::now(), [](const PurchaseReply&) {}));
  EXPECT_TRUE(pending.add("b", Clock::now(), [](const PurchaseReply&) {}));
  EXPECT_FALSE(pending.add("c", Clock::now(), [](const PurchaseReply&) {}));
  ASSERT_TRUE(pending.take("a"));
  EXPECT_TRUE(pending.add("c", Clock::now(), [](const PurchaseReply&) {}));
}

TEST(PendingRequests, DuplicateIdIsRefused) {
  PendingRequests pending(4);
  EXPECT_TRUE(pending.add("a", Clock::now(), [](const PurchaseReply&) {}));
  EXPECT_FALSE(pending.add("a", Clock::now(), [](const PurchaseReply&) {}));
  EXPECT_EQ(pending.size(), 1u);
}

TEST(PendingRequests, TakeExpiredTakesOnlyThePastAndSkipsAnswered) {
  PendingRequests pending(10);
  const auto now = Clock::now();
  ASSERT_TRUE(pending.add("old1", now - 2ms, [](const PurchaseReply&) {}));
  ASSERT_TRUE(pending.add("old2", now - 1ms, [](const PurchaseReply&) {}));
  ASSERT_TRUE(pending.add("new", now + 1h, [](const PurchaseReply&) {}));
  ASSERT_TRUE(pending.take("old1"));  // answered by its reply before the sweep
  auto expired = pending.take_expired(now);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].first, "old2");
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_TRUE(pending.take_expired(now).empty());
}

TEST(PendingRequests, RacingTakersAnswerEachRequestExactlyOnce) {
  PendingRequests pending(100000);
  constexpr int kRequests = 20000;
  std::atomic<int> answered{0};
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(pending.add(std::to_string(i), Clock::now() - 1ms,
                            [&](const PurchaseReply&) { answered.fetch_add(1); }));
  }
  std::thread replier([&] {
    for (int i = 0; i < kRequests; ++i) {
      if (auto c = pending.take(std::to_string(i))) (*c)(PurchaseReply{});
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
