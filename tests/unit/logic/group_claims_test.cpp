#include "logic/groups/group_claims.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace seckill::logic {
namespace {

using namespace std::chrono_literals;

TEST(GroupClaims, AGroupIsClaimedByOneWorkerAtATime) {
  GroupClaims claims;
  EXPECT_EQ(claims.claim_free({1, 2}), (std::vector<keys::GroupId>{1, 2}));
  EXPECT_TRUE(claims.claim_free({1, 2}).empty());
  EXPECT_EQ(claims.claim_free({2, 3}), (std::vector<keys::GroupId>{3}));
  claims.release({1});
  EXPECT_EQ(claims.claim_free({1, 2}), (std::vector<keys::GroupId>{1}));
  claims.release({1, 2, 3});
  EXPECT_EQ(claims.claim_free({3, 2, 1}), (std::vector<keys::GroupId>{3, 2, 1}));
}

TEST(GroupClaims, AReleaseWakesAWaitingWorker) {
  GroupClaims claims;
  ASSERT_EQ(claims.claim_free({7}).size(), 1u);
  std::atomic<bool> woke{false};
  std::thread waiter([&] {
    // Far longer than the test may take: only the release can end this wait in time.
    claims.wait_for_release(std::chrono::duration_cast<std::chrono::microseconds>(600s));
    woke = true;
  });
  // Released (and claimed back) until the waiter saw a release: one made before its wait began
  // does not count.
  while (!woke) {
    claims.release({7});
    ASSERT_EQ(claims.claim_free({7}).size(), 1u);
    std::this_thread::sleep_for(1ms);
  }
  waiter.join();
  claims.release({7});
  EXPECT_TRUE(woke);
  EXPECT_EQ(claims.claim_free({7}).size(), 1u);
}

TEST(GroupClaims, HoldKeepsWhatIsStillWantedReleasesTheRestAndClaimsWhatIsFree) {
  GroupClaims claims;
  std::vector<keys::GroupId> held;
  claims.hold(held, {1, 2});
  EXPECT_EQ(held, (std::vector<keys::GroupId>{1, 2}));
  std::vector<keys::GroupId> other;
  claims.hold(other, {2, 3});
  EXPECT_EQ(other, (std::vector<keys::GroupId>{3})) << "2 is held";
  claims.hold(held, {2});  // 1 released, 2 kept
  EXPECT_EQ(held, (std::vector<keys::GroupId>{2}));
  claims.hold(other, {1, 2, 3});
  EXPECT_EQ(other, (std::vector<keys::GroupId>{3, 1}));
  claims.hold(held, {});
  EXPECT_TRUE(held.empty());
  claims.hold(other, {2});
  EXPECT_EQ(other, (std::vector<keys::GroupId>{2}));
  EXPECT_EQ(claims.claim_free({1, 3}), (std::vector<keys::GroupId>{1, 3}));
}

TEST(GroupClaims, AWaitWithoutAReleaseEndsAtItsTimeout) {
  GroupClaims claims;
  claims.wait_for_release(1000us);  // returns: nothing to wake it
  claims.release({});               // releasing nothing wakes nobody and changes nothing
  EXPECT_EQ(claims.claim_free({4}).size(), 1u);
}

TEST(GroupClaims, ManyWorkersNeverHoldOneGroupTogether) {
  GroupClaims claims;
  std::atomic<int> holding{0};
  std::atomic<int> overlaps{0};
  std::atomic<int> rounds{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto mine = claims.claim_free({5});
        if (mine.empty()) {
          claims.wait_for_release(100us);
          continue;
        }
        if (holding.fetch_add(1) != 0) overlaps.fetch_add(1);
        rounds.fetch_add(1);
        holding.fetch_sub(1);
        claims.release(mine);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_GT(rounds.load(), 0);
}

}  // namespace
}  // namespace seckill::logic
