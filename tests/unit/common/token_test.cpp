#include "common/token.hpp"

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

}  // namespace
}  // namespace seckill
