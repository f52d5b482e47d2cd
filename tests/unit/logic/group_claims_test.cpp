#include "logic/groups/group_claims.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace seckill::logic {
namespace {

using namespace std::chrono_literals;
using Groups = std::vector<keys::GroupId>;

TEST(GroupClaims, AGroupIsHeldByOneWorkerAtATime) {
  GroupClaims claims;
  Groups first, second;
  claims.hold(first, {1, 2});
  EXPECT_EQ(first, (Groups{1, 2}));
  claims.hold(second, {1, 2});
  EXPECT_TRUE(second.empty());
  claims.hold(second, {2, 3});
  EXPECT_EQ(second, (Groups{3}));
  claims.hold(first, {2});  // 1 given back
  claims.hold(second, {1, 2, 3});
  EXPECT_EQ(second, (Groups{3, 1}));
  claims.hold(first, {});
  claims.hold(second, {});
  Groups third;
  claims.hold(third, {3, 2, 1});
  EXPECT_EQ(third, (Groups{3, 2, 1}));
}

TEST(GroupClaims, HoldKeepsWhatIsStillWantedReleasesTheRestAndClaimsWhatIsFree) {
  GroupClaims claims;
  Groups held;
  claims.hold(held, {1, 2});
  EXPECT_EQ(held, (Groups{1, 2}));
  Groups other;
  claims.hold(other, {2, 3});
  EXPECT_EQ(other, (Groups{3})) << "2 is held";
  claims.hold(held, {2});  // 1 released, 2 kept
  EXPECT_EQ(held, (Groups{2}));
  claims.hold(other, {1, 2, 3});
  EXPECT_EQ(other, (Groups{3, 1}));
  claims.hold(held, {});
  EXPECT_TRUE(held.empty());
  claims.hold(other, {2});
  EXPECT_EQ(other, (Groups{2}));
  Groups last;
  claims.hold(last, {1, 3});
  EXPECT_EQ(last, (Groups{1, 3}));
}

TEST(GroupClaims, AReleaseWakesAWaitingWorker) {
  GroupClaims claims;
  Groups held;
  claims.hold(held, {7});
  ASSERT_EQ(held.size(), 1u);
  std::atomic<bool> woke{false};
  std::thread waiter([&] {
    // Far longer than the test may take: only the release can end this wait in time.
    claims.wait_for_release(std::chrono::duration_cast<std::chrono::microseconds>(600s));
    woke = true;
  });
  // Released (and held again) until the waiter saw a release: one made before its wait began
  // does not count.
  while (!woke) {
    claims.hold(held, {});
    claims.hold(held, {7});
    ASSERT_EQ(held.size(), 1u);
    std::this_thread::sleep_for(1ms);
  }
  waiter.join();
  claims.hold(held, {});
}

TEST(GroupClaims, AWaitWithoutAReleaseEndsAtItsTimeout) {
  GroupClaims claims;
  claims.wait_for_release(1000us);  // returns: nothing to wake it
  Groups none;
  claims.hold(none, {});  // giving back nothing wakes nobody and changes nothing
  Groups held;
  claims.hold(held, {4});
  EXPECT_EQ(held.size(), 1u);
}

TEST(GroupClaims, ManyWorkersNeverHoldOneGroupTogether) {
  GroupClaims claims;
  std::atomic<int> holding{0};
  std::atomic<int> overlaps{0};
  std::atomic<int> rounds{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      Groups mine;
      for (int i = 0; i < 2000; ++i) {
        claims.hold(mine, {5});
        if (mine.empty()) {
          claims.wait_for_release(100us);
          continue;
        }
        if (holding.fetch_add(1) != 0) overlaps.fetch_add(1);
        rounds.fetch_add(1);
        holding.fetch_sub(1);
        claims.hold(mine, {});
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_GT(rounds.load(), 0);
}

}  // namespace
}  // namespace seckill::logic
