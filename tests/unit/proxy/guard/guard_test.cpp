#include "proxy/guard/guard.hpp"

#include <gtest/gtest.h>

#include "common/address_range.hpp"
#include "proxy/guard/ban_ledger.hpp"
#include "proxy/guard/blocklist.hpp"
#include "proxy/guard/rate_limiter.hpp"

namespace seckill::proxy {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

bool in(const char* range, const char* address) {
  return AddressRange::parse(range)->contains(*parse_address(address));
}

TEST(AddressRange, MatchesIpv4AndIpv6Ranges) {
  EXPECT_TRUE(in("10.0.0.0/8", "10.200.3.4"));
  EXPECT_FALSE(in("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(in("192.168.1.7", "192.168.1.7"));
  EXPECT_FALSE(in("192.168.1.7", "192.168.1.8"));
  EXPECT_TRUE(in("0.0.0.0/0", "8.8.8.8"));
  EXPECT_TRUE(in("2001:db8::/32", "2001:db8:1::5"));
  EXPECT_FALSE(in("2001:db8::/32", "2001:db9::5"));
  EXPECT_TRUE(in("::1", "::1"));
  EXPECT_FALSE(in("10.0.0.0/8", "::1"));
  EXPECT_TRUE(in("10.1.2.0/23", "10.1.3.255"));
  EXPECT_FALSE(in("10.1.2.0/23", "10.1.4.0"));
}

TEST(AddressRange, RejectsMalformedText) {
  for (const char* bad : {"", "10.0.0", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x",
                          "999.1.1.1", "host.example", "1.2.3.4/-1"}) {
    EXPECT_FALSE(AddressRange::parse(bad).has_value()) << bad;
  }
}

TEST(ClientAddress, FollowsForwardedForOnlyBehindTrustedProxies) {
  const auto trusted = GuardConfig::default_trusted();
  EXPECT_EQ(client_address("203.0.113.5", "1.2.3.4", trusted), "203.0.113.5")
      << "an untrusted peer cannot claim another address";
  EXPECT_EQ(client_address("127.0.0.1", "", trusted), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.7", trusted), "198.51.100.7");
  EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 198.51.100.7, 127.0.0.2", trusted),
            "198.51.100.7")
      << "right-most untrusted: the client cannot forge the hop our proxy added";
  EXPECT_EQ(client_address("127.0.0.1", "127.0.0.5, 127.0.0.2", trusted), "127.0.0.5");
  EXPECT_EQ(client_address("127.0.0.1", "junk, 127.0.0.2", trusted), "127.0.0.2");
  EXPECT_EQ(client_address("::1", "2001:db8::9", trusted), "2001:db8::9");
}

TEST(ClientAddress, HopsMayCarryPorts) {
  const auto trusted = GuardConfig::default_trusted();
  EXPECT_EQ(client_address("127.0.0.1", "1.2.3.4:5678", trusted), "1.2.3.4");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::1]:80", trusted), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::1]", trusted), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "9.9.9.9, 127.0.0.2:1234", trusted), "9.9.9.9")
      << "a trusted hop with a port is still trusted";
  EXPECT_EQ(address_of_hop(" 2001:db8::1 "), "2001:db8::1") << "IPv6 without brackets has no port";
  EXPECT_EQ(address_of_hop("1.2.3.4:x"), "1.2.3.4:x");
}

TEST(ClientAddress, SeveralHeaderLinesAreOneList) {
  // What the session passes for two lines: "<first line>, <second line>" (HTTP field combining).
  // The balancer's own line comes last, so its hop is the one believed.
  const auto trusted = GuardConfig::default_trusted();
  EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 198.51.100.7", trusted), "198.51.100.7");
}

TEST(Guard, AddressIsCheckedWithoutAUser) {
  // Requests refused for a bad token never reach check_user, yet count against the address.
  Versioned<Blocklist> blocklist;
  ProxyStats stats;
  GuardConfig config;
  config.per_address = {3, 100, 0, 60s, 100};
  Guard guard(config, blocklist, stats);
  int refused = 0;
  for (int i = 0; i < 10; ++i) refused += guard.check_address("203.0.113.9").has_value() ? 1 : 0;
  EXPECT_EQ(refused, 7);
  EXPECT_FALSE(guard.check_address("203.0.113.10")) << "another address is not affected";
}

TEST(RateLimiter, LimitsPerSecondAndPerMinute) {
  RateLimiter limiter({3, 5, 0, 60s, 100});
  const auto t0 = Clock::time_point(std::chrono::seconds(1000));
  EXPECT_TRUE(limiter.allow("u", t0));
  EXPECT_TRUE(limiter.allow("u", t0));
  EXPECT_TRUE(limiter.allow("u", t0));
  EXPECT_FALSE(limiter.allow("u", t0)) << "fourth in one second";
  EXPECT_TRUE(limiter.allow("other", t0)) << "keys are independent";
  EXPECT_TRUE(limiter.allow("u", t0 + 1s));
  EXPECT_TRUE(limiter.allow("u", t0 + 2s));
  EXPECT_FALSE(limiter.allow("u", t0 + 3s)) << "sixth in one minute";
  EXPECT_TRUE(limiter.allow("u", t0 + 60s)) << "a new minute";
}

TEST(RateLimiter, RepeatOffendersAreBannedForAWhileOnly) {
  RateLimiter limiter({1, 0, 3, 10s, 100});
  const auto t0 = Clock::time_point(std::chrono::seconds(2000));
  EXPECT_TRUE(limiter.allow("bot", t0));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.allow("bot", t0));  // third refusal: ban
  EXPECT_FALSE(limiter.allow("bot", t0 + 5s)) << "banned, though the second is new";
  EXPECT_TRUE(limiter.allow("bot", t0 + 11s)) << "bans end";
}

TEST(RateLimiter, MemoryStaysBounded) {
  RateLimiter limiter({1, 0, 0, 10s, 160});
  const auto t0 = Clock::time_point(std::chrono::seconds(3000));
  for (int i = 0; i < 100000; ++i) limiter.allow(std::to_string(i), t0);
  EXPECT_LE(limiter.tracked(), 160u);
  EXPECT_TRUE(limiter.allow("0", t0)) << "an evicted key starts afresh (errs towards letting in)";
}

TEST(RateLimiter, RecentKeysKeepTheirCountsThroughHeavyChurn) {
  // 100 keys per shard and one request a minute each; a new key every millisecond, 250 a round.
  // After every round the 50 newest keys (at most 50 in any shard, all seen after the clock
  // hand's last pass) must still be counted, whatever was forgotten around them.
  RateLimiter limiter({0, 1, 0, 10s, 1600});
  auto now = Clock::time_point(std::chrono::minutes(100));
  int next = 0;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 250; ++i) {
      now += 1ms;
      EXPECT_TRUE(limiter.allow("k" + std::to_string(next++), now));
    }
    for (int key = next - 50; key < next; ++key) {
      EXPECT_FALSE(limiter.allow("k" + std::to_string(key), now)) << "forgot recent key " << key;
    }
    EXPECT_LE(limiter.tracked(), 1600u);
  }
}

TEST(RateLimiter, NumericKeysAreKeysOfTheirOwn) {
  RateLimiter limiter({1, 0, 0, 10s, 100});
  const auto t0 = Clock::time_point(std::chrono::seconds(4500));
  EXPECT_TRUE(limiter.allow(std::uint64_t{42}, t0));
  EXPECT_FALSE(limiter.allow(std::uint64_t{42}, t0));
  EXPECT_TRUE(limiter.allow(std::uint64_t{43}, t0));
}

TEST(RateLimiter, ZeroMeansNoLimit) {
  RateLimiter limiter({0, 0, 0, 10s, 16});
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.allow("u", Clock::now()));
}

TEST(Blocklist, SkipsExpiredAndMalformedEntries) {
  auto list = make_blocklist({{"7", "0"}, {"8", "1000"}, {"9", "99999"}, {"x", "0"}},
                             {{"10.0.0.0/8", "0"}, {"bad", "0"}, {"192.0.2.1", "500"}}, 2000);
  EXPECT_TRUE(list.blocks_user(7));
  EXPECT_FALSE(list.blocks_user(8)) << "expired";
  EXPECT_TRUE(list.blocks_user(9));
  EXPECT_TRUE(list.blocks_address("10.4.4.4"));
  EXPECT_FALSE(list.blocks_address("192.0.2.1")) << "expired";
  EXPECT_FALSE(list.blocks_address("not an address"));
}

TEST(Guard, BlocklistComesBeforeRateLimits) {
  Versioned<Blocklist> blocklist;
  blocklist.replace(std::make_shared<const Blocklist>(make_blocklist({{"5", "0"}}, {}, 0)));
  GuardConfig config;
  config.per_user = {1, 0, 0, 10s, 100};
  ProxyStats stats;
  Guard guard(config, blocklist, stats);
  EXPECT_EQ(guard.check(5, "192.0.2.9")->code, Code::kBlocked);
  EXPECT_FALSE(guard.check(6, "192.0.2.9").has_value());
  EXPECT_EQ(guard.check(6, "192.0.2.9")->code, Code::kRateLimited);
  EXPECT_EQ(stats.blocked.load(), 1u);
  EXPECT_EQ(stats.rate_limited.load(), 1u);
}

// A ban is counted once, and every answer under it says how long it lasts.
TEST(Guard, ABanIsCountedAndItsAnswerSaysHowLong) {
  Versioned<Blocklist> blocklist;
  GuardConfig config;
  config.per_user = {1, 0, 2, 30s, 100};
  ProxyStats stats;
  Guard guard(config, blocklist, stats);
  EXPECT_FALSE(guard.check_user(9).has_value());
  auto limited = guard.check_user(9);  // refused once: not banned yet
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->message, "too many requests from this user");
  auto banned = guard.check_user(9);  // the second refusal starts the ban
  ASSERT_TRUE(banned.has_value());
  EXPECT_EQ(banned->code, Code::kRateLimited);
  EXPECT_EQ(banned->message, "too many requests from this user: banned for 30 s");
  std::string body;
  banned->append_body(body);
  EXPECT_NE(body.find(R"("retry_after_s":30)"), std::string::npos) << body;
  auto still = guard.check_user(9);
  ASSERT_TRUE(still.has_value());
  EXPECT_NE(still->message.find("banned for"), std::string::npos) << still->message;
  EXPECT_EQ(stats.bans.load(), 1u) << "one ban, however many answers it gives";
}

// A ban begun is recorded for publishing, naming the user or the address as seckill-admin
// does; a lift ends it at once and the next request is let through.
TEST(Guard, ABanIsRecordedAndALiftEndsIt) {
  Versioned<Blocklist> blocklist;
  GuardConfig config;
  config.per_user = {1, 0, 1, 30s, 100};
  config.per_address = {1, 0, 1, 30s, 100};
  ProxyStats stats;
  Guard guard(config, blocklist, stats);
  EXPECT_FALSE(guard.check_user(9).has_value());
  EXPECT_FALSE(guard.check_address("198.51.100.7").has_value());
  ASSERT_TRUE(guard.check_user(9).has_value());                  // banned
  ASSERT_TRUE(guard.check_address("198.51.100.7").has_value());  // banned
  const std::vector<BanRecord> bans = guard.ban_ledger().take();
  ASSERT_EQ(bans.size(), 2u);
  EXPECT_EQ(bans[0].member, "user:9");
  EXPECT_EQ(bans[1].member, "ip:198.51.100.7");
  const std::int64_t in_30_s = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch() + 30s)
                                   .count();
  EXPECT_NEAR(static_cast<double>(bans[0].until_ms), static_cast<double>(in_30_s), 2000.0);
  EXPECT_TRUE(guard.ban_ledger().take().empty()) << "taken once";

  EXPECT_FALSE(guard.lift_ban("user:10")) << "never banned";
  EXPECT_FALSE(guard.lift_ban("user:x"));
  EXPECT_FALSE(guard.lift_ban("nonsense"));
  EXPECT_TRUE(guard.lift_ban("user:9"));
  EXPECT_FALSE(guard.lift_ban("user:9")) << "already lifted";
  EXPECT_FALSE(guard.check_user(9).has_value()) << "let through at once, counts cleared";
  EXPECT_TRUE(guard.check_address("198.51.100.7").has_value()) << "the address is still banned";
  EXPECT_TRUE(guard.lift_ban("ip:198.51.100.7"));
  EXPECT_FALSE(guard.check_address("198.51.100.7").has_value());
  EXPECT_EQ(stats.bans_lifted.load(), 2u);
}

TEST(RateLimiter, ALiftedKeyStartsAfreshAndMayBeBannedAgain) {
  RateLimiter limiter({1, 0, 1, 10s, 64});
  const auto t0 = Clock::now();
  EXPECT_TRUE(limiter.allow("bot", t0));
  EXPECT_FALSE(limiter.allow("bot", t0));  // banned
  EXPECT_TRUE(limiter.lift_ban(limiter.key_of("bot"), t0));
  EXPECT_TRUE(limiter.allow("bot", t0)) << "the second's count was cleared too";
  EXPECT_FALSE(limiter.allow("bot", t0)) << "and the limits still hold";
  EXPECT_FALSE(limiter.allow("bot", t0 + 5s)) << "banned again";
  EXPECT_FALSE(limiter.lift_ban(limiter.key_of("bot"), t0 + 20s)) << "that ban has ended";
}

TEST(BanLedger, KeepsTheNewestWithinItsCapacity) {
  BanLedger ledger(3);
  for (int i = 1; i <= 5; ++i) ledger.record({"user:" + std::to_string(i), i});
  EXPECT_EQ(ledger.dropped(), 2u);
  auto taken = ledger.take();
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(taken.front().member, "user:3");
  ledger.record({"user:6", 6});
  ledger.put_back(std::move(taken));  // a failed publish: back in front, oldest dropped
  taken = ledger.take();
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(taken[0].member, "user:4");
  EXPECT_EQ(taken[2].member, "user:6");
}

}  // namespace
}  // namespace seckill::proxy

namespace seckill::proxy {
namespace {

TEST(RateLimiterIdle, KeysIdleForAMinuteAreForgotten) {
  RateLimiter limiter({1, 0, 0, std::chrono::seconds(10), 1600});
  const auto t0 = RateLimiter::Clock::time_point(std::chrono::seconds(5000));
  for (int i = 0; i < 1000; ++i) limiter.allow(std::to_string(i), t0);
  EXPECT_EQ(limiter.tracked(), 1000u);
  // A minute and more later, new keys push the idle ones out as they arrive.
  for (int i = 0; i < 1000; ++i)
    limiter.allow("new" + std::to_string(i), t0 + std::chrono::seconds(70));
  // Each shard keeps about max(old keys, new keys) of its own; with the random per-process hash
  // seed the shards are uneven, so the total is near 1,070 on average, and above 1,100 at times
  // (a bound of 1,100 was exceeded now and then: 1,103 once). 1,300 is over ten deviations away.
  EXPECT_LT(limiter.tracked(), 1300u) << "not 2000: the idle keys were forgotten";
}

}  // namespace
}  // namespace seckill::proxy
