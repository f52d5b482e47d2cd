#include "common/token.hpp"

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

TEST(TokenSigner, SharedByThreadsGivesTheOneOffAnswers) {
  const TokenSigner signer("demo-secret-change-me");
  EXPECT_EQ(signer.sign(42), make_token("demo-secret-change-me", 42));
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&signer, &wrong, t] {
      for (UserId user = 1 + t * 1000; user <= (t + 1) * 1000; ++user) {
        if (!signer.verify(user, make_token("demo-secret-change-me", user))) ++wrong;
        if (signer.verify(user, make_token("other", user))) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace seckill
