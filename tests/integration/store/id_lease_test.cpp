// IdLease against a real Redis: a live holder is refused, a dead one of this machine is replaced
// at once, a lapsed lease is free, renewals notice a takeover.
#include "common/store/id_lease.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "tests/support/servers/redis_suite.hpp"
#include <sys/wait.h>
#include <unistd.h>

namespace seckill {
namespace {

using namespace std::chrono_literals;

class IdLeaseTest : public test::RedisSuite {};

TEST_F(IdLeaseTest, AFreeLeaseIsTakenAndRenewed) {
  IdLease lease("lease:a", "proxy_id 'a'", 1000ms);
  EXPECT_EQ(lease.claim(redis(), 1000ms), IdLease::Claim::kClaimed);
  EXPECT_EQ(lease.renew(redis()), IdLease::Renewal::kRenewed);
  auto value = redis().command({"GET", "lease:a"});
  ASSERT_TRUE(value);
  EXPECT_EQ(value->str(), lease.holder());
  lease.release(redis());
  EXPECT_TRUE(redis().command({"GET", "lease:a"})->is_nil());
}

TEST_F(IdLeaseTest, ALiveHolderIsRefusedAfterOneLeaseTime) {
  IdLease first("lease:b", "proxy_id 'b'", 400ms);
  ASSERT_EQ(first.claim(redis(), 1000ms), IdLease::Claim::kClaimed);
  std::atomic<bool> stop{false};
  std::thread renewer([&] {
    RedisClient connection(server().config());
    while (!stop) {
      first.renew(connection);
      std::this_thread::sleep_for(100ms);
    }
  });
  IdLease second("lease:b", "proxy_id 'b'", 400ms);
  EXPECT_EQ(second.claim(redis(), 1000ms), IdLease::Claim::kHeldByAnother);
  EXPECT_EQ(second.other_holder(), first.holder());
  stop = true;
  renewer.join();
}

TEST_F(IdLeaseTest, ALapsedLeaseIsTakenAndTheOldHolderLearnsIt) {
  IdLease first("lease:c", "logic_id 'c'", 300ms);
  ASSERT_EQ(first.claim(redis(), 1000ms), IdLease::Claim::kClaimed);
  IdLease second("lease:c", "logic_id 'c'", 300ms);
  EXPECT_EQ(second.claim(redis(), 1000ms), IdLease::Claim::kClaimed)
      << "the first stopped renewing";
  EXPECT_EQ(first.renew(redis()), IdLease::Renewal::kLost);
  EXPECT_EQ(first.other_holder(), second.holder());
}

TEST_F(IdLeaseTest, ACrashedHolderOfThisMachineIsReplacedAtOnce) {
  // A child takes a lease with a long time and dies without giving it up.
  const std::string key = "lease:d";
  const pid_t child = fork();
  if (child == 0) {
    RedisClient connection(server().config());
    IdLease lease(key, "proxy_id 'd'", 60000ms);
    _exit(lease.claim(connection, 1000ms) == IdLease::Claim::kClaimed ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  const std::string dead_holder(redis().command({"GET", key})->str());
  EXPECT_TRUE(holder_is_dead_here(dead_holder)) << dead_holder;
  IdLease restarted(key, "proxy_id 'd'", 60000ms);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(restarted.claim(redis(), 1000ms), IdLease::Claim::kClaimed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "no need to wait out 60 s";
}

TEST_F(IdLeaseTest, HoldersOfOtherMachinesAreNeverThoughtDead) {
  EXPECT_FALSE(holder_is_dead_here("host=elsewhere pid=999999 ns=00000000/1 nonce=1"));
  EXPECT_FALSE(holder_is_dead_here("garbage"));
  EXPECT_FALSE(holder_is_dead_here(unique_holder_name())) << "this very process is alive";
}

TEST_F(IdLeaseTest, DefaultIdsAreSafeNames) {
  const std::string id = default_process_id();
  EXPECT_LE(id.size(), 64u);
  EXPECT_EQ(
      id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."),
      std::string::npos)
      << id;
  EXPECT_NE(default_process_id(), id);
}

}  // namespace
}  // namespace seckill
