#include "common/token/token.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace seckill {
namespace {

// Expected values computed independently: printf 42 | openssl dgst -sha256 -hmac SECRET
TEST(Token, MatchesOpensslHmacSha256) {
  EXPECT_EQ(make_token("demo-secret-change-me", 42),
            "aba2579a6d949cb76e1ba463663b9e7ac1217a865603e03bd3e6e37e53c8b31c");
  EXPECT_EQ(make_token("key", 9223372036854775807LL),
            "030d0c3612586b28293a0250bc387ce2b67129104eba28077572a7844f746d23");
}

TEST(Token, VerifyAcceptsOnlyTheRightToken) {
  const std::string token = make_token("s3cret", 7);
  EXPECT_TRUE(verify_token("s3cret", 7, token));
  EXPECT_FALSE(verify_token("s3cret", 8, token));
  EXPECT_FALSE(verify_token("other", 7, token));
  EXPECT_FALSE(verify_token("s3cret", 7, ""));
  EXPECT_FALSE(verify_token("s3cret", 7, token.substr(1)));
  std::string upper = token;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_FALSE(verify_token("s3cret", 7, upper)) << "tokens are lowercase hex";
}

TEST(Token, KeysLongerThanABlockAreHashedFirst) {
  // printf 42 | openssl dgst -sha256 -hmac "$(printf 'k%.0s' $(seq 1 100))"
  EXPECT_EQ(make_token(std::string(100, 'k'), 42),
            "8aec5b140a36a4585e2b2ff76ba70d64ba76f656e4459ac94659bf0f23fc78fc");
}

TEST(Token, KeysOfExactlyOneBlockAreUsedAsTheyAre) {
  // The same, with 64 and 65 k's: a block exactly, and one byte more.
  EXPECT_EQ(make_token(std::string(64, 'k'), 42),
            "ea4565f477e82c5b45fb1c6748278a603dfc2c9d535f24ed108ee8d504ed1e5d");
  EXPECT_EQ(make_token(std::string(65, 'k'), 42),
            "183b8192f1bfdde35f9a4a4e8417e97293ebb536466d37989f6ef6b1f3523129");
}

constexpr std::int64_t kNow = 1'800'000'000;  // Unix seconds

TokenConfig keys_config(std::vector<std::pair<std::string, std::string>> keys,
                        std::string sign_with, bool accept_v1 = true) {
  TokenConfig config;
  config.keys = std::move(keys);
  config.sign_with = std::move(sign_with);
  config.accept_v1 = accept_v1;
  return config;
}

// printf 'v2.42.1800000000.k1' | openssl dgst -sha256 -hmac first-key
TEST(TokenV2, IsTheDocumentedFormatSignedWithHmacSha256) {
  const TokenKeyring tokens(keys_config({{"k1", "first-key"}}, "k1"), "");
  EXPECT_EQ(tokens.issue(42, kNow),
            "v2.42.1800000000.k1."
            "2fe040ffcc1c0f4825a756f329126842cbee86b35f290cde23ba1c5464c7c289");
  // The largest ids and expiry, a long key id and a key longer than a block:
  // printf 'v2.9223372036854775807.99999999999.rotation-2027_b' | openssl dgst -sha256 -hmac k*100
  const TokenKeyring long_key(keys_config({{"rotation-2027_b", std::string(100, 'k')}}, ""), "");
  EXPECT_EQ(long_key.issue(9223372036854775807LL, 99999999999),
            "v2.9223372036854775807.99999999999.rotation-2027_b."
            "41c50ad702dccbda23f8fd38c8eff4a53103d6b9e84d78459df68903fe8f1d57");
}

TEST(TokenV2, ValidUntilItsExpiryThenExpired) {
  const TokenKeyring tokens(keys_config({{"k1", "first-key"}}, "k1"), "");
  const std::string token = tokens.issue(7, kNow + 60);
  EXPECT_EQ(tokens.check(7, token, kNow), TokenCheck::kValid);
  EXPECT_EQ(tokens.check(7, token, kNow + 59), TokenCheck::kValid);
  EXPECT_EQ(tokens.check(7, token, kNow + 60), TokenCheck::kExpired);
  EXPECT_EQ(tokens.check(7, token, kNow + 86400), TokenCheck::kExpired);
  EXPECT_EQ(tokens.issue_from(7, kNow), tokens.issue(7, kNow + tokens.lifetime_s()));
}

TEST(TokenV2, ForgedOrAnotherUsersTokensAreBad) {
  const TokenKeyring tokens(keys_config({{"k1", "first-key"}}, "k1"), "");
  const std::string token = tokens.issue(7, kNow + 60);
  EXPECT_EQ(tokens.check(8, token, kNow), TokenCheck::kBad) << "another user's";
  // A later expiry written in by hand breaks the signature.
  std::string extended = token;
  extended.replace(extended.find(".1800000060."), 12, ".1900000060.");
  EXPECT_EQ(tokens.check(7, extended, kNow), TokenCheck::kBad);
  // An expired token re-signed under a key the proxy does not know is bad, not "expired".
  const TokenKeyring stranger(keys_config({{"k1", "someone-else"}}, "k1"), "");
  EXPECT_EQ(tokens.check(7, stranger.issue(7, kNow + 60), kNow), TokenCheck::kBad);
  EXPECT_EQ(tokens.check(7, stranger.issue(7, kNow - 60), kNow), TokenCheck::kBad);
  const TokenKeyring other_id(keys_config({{"k2", "first-key"}}, "k2"), "");
  EXPECT_EQ(tokens.check(7, other_id.issue(7, kNow + 60), kNow), TokenCheck::kBad)
      << "an unknown key id";
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(tokens.check(7, flipped, kNow), TokenCheck::kBad);
  std::string upper = token;
  for (std::size_t i = upper.rfind('.') + 1; i < upper.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  }
  EXPECT_EQ(tokens.check(7, upper, kNow), TokenCheck::kBad) << "the hex is lowercase";
}

TEST(TokenV2, MalformedTokensAreBadWhateverTheirShape) {
  const TokenKeyring tokens(keys_config({{"k1", "first-key"}}, "k1"), "");
  const std::string hex(64, 'a');
  const std::vector<std::string> malformed = {
      std::string("v2."),
      std::string("v2...."),
      "v2.7.1800000060.k1",
      "v2.7.1800000060.k1.",
      "v2.07.1800000060.k1." + hex,
      "v2.+7.1800000060.k1." + hex,
      "v2.7.-1.k1." + hex,
      "v2.7.01800000060.k1." + hex,
      "v2.7.1800000060.k1." + hex + ".x",
      "v2.7.99999999999999999999.k1." + hex,
      "v3.7.1800000060.k1." + hex,
      std::string(200, '.'),
      std::string("v2.7.1800000060.k1.") + std::string(1000, 'f')};
  for (const std::string& token : malformed) {
    EXPECT_EQ(tokens.check(7, token, kNow), TokenCheck::kBad) << token;
  }
}

// A rotation: tokens signed with the old key still work while both are configured; new ones
// are signed with the new key; once the old key is dropped only its tokens stop working.
TEST(TokenV2, ARotationWithTwoKeysLogsNobodyOut) {
  const TokenKeyring before(keys_config({{"old", "old-secret"}}, "old"), "");
  const std::string old_token = before.issue(7, kNow + 3600);
  const TokenKeyring during(keys_config({{"old", "old-secret"}, {"new", "new-secret"}}, "new"), "");
  EXPECT_EQ(during.check(7, old_token, kNow), TokenCheck::kValid);
  const std::string new_token = during.issue(7, kNow + 3600);
  EXPECT_NE(new_token.find(".new."), std::string::npos) << new_token;
  EXPECT_EQ(during.check(7, new_token, kNow), TokenCheck::kValid);
  const TokenKeyring after(keys_config({{"new", "new-secret"}}, "new"), "");
  EXPECT_EQ(after.check(7, new_token, kNow), TokenCheck::kValid);
  EXPECT_EQ(after.check(7, old_token, kNow), TokenCheck::kBad);
}

TEST(TokenV1, AcceptedOnlyWhileAcceptV1IsOn) {
  const std::string v1 = make_token("top-secret", 7);
  const TokenKeyring on(keys_config({{"k1", "first-key"}}, "k1", true), "top-secret");
  EXPECT_EQ(on.check(7, v1, kNow), TokenCheck::kValid);
  EXPECT_EQ(on.check(8, v1, kNow), TokenCheck::kBad);
  EXPECT_EQ(on.check(7, make_token("first-key", 7), kNow), TokenCheck::kBad)
      << "v1 tokens are checked with the top-level secret only";
  const TokenKeyring off(keys_config({{"k1", "first-key"}}, "k1", false), "top-secret");
  EXPECT_EQ(off.check(7, v1, kNow), TokenCheck::kBad);
}

TEST(TokenKeyring, SharedByThreadsGivesTheOneOffAnswers) {
  const TokenKeyring tokens(keys_config({{"k1", "demo-secret-change-me"}}, "k1"),
                            "demo-secret-change-me");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&tokens, &wrong, t] {
      for (UserId user = 1 + t * 1000; user <= (t + 1) * 1000; ++user) {
        if (tokens.check(user, make_token("demo-secret-change-me", user), kNow) !=
            TokenCheck::kValid)
          ++wrong;
        if (tokens.check(user, make_token("other", user), kNow) != TokenCheck::kBad) ++wrong;
        if (tokens.check(user, tokens.issue(user, kNow + 1), kNow) != TokenCheck::kValid) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace seckill
