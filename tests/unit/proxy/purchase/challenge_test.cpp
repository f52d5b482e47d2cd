#include "proxy/purchase/challenge.hpp"

#include <gtest/gtest.h>
#include <openssl/sha.h>

namespace seckill::proxy {
namespace {

const ChallengeKey kKey("challenge-secret");

ProductState challenge_product(int pow_bits = 0) {
  ProductState product{7, "p", 10, 10, 1000, 2000, true};
  product.challenge = true;
  product.pow_bits = pow_bits;
  return product;
}

RequestParams params_for(const std::string& query) {
  return RequestParams::parse("/seckill?" + query, "", "");
}

// Finds a proof the slow, obvious way, to check the server's check against.
std::string solve(const std::string& nonce, int bits) {
  for (long long x = 0;; ++x) {
    const std::string text = nonce + std::to_string(x);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    const unsigned long long top = (static_cast<unsigned long long>(digest[0]) << 24) |
                                   (static_cast<unsigned long long>(digest[1]) << 16) |
                                   (static_cast<unsigned long long>(digest[2]) << 8) | digest[3];
    if ((top >> (32 - bits)) == 0) return std::to_string(x);
  }
}

// printf 'challenge.7.42.1000.2000' | openssl dgst -sha256 -hmac challenge-secret
TEST(Challenge, TheNonceIsTheDocumentedHmac) {
  EXPECT_EQ(kKey.nonce(challenge_product(), 42),
            "cef5a68bcf35f398cd8b2dd5029d869033614697083015674cfbfc951dbdbb8d");
  ProductState moved = challenge_product();
  moved.end_ms = 3000;
  EXPECT_NE(kKey.nonce(moved, 42), kKey.nonce(challenge_product(), 42)) << "another window";
  EXPECT_NE(kKey.nonce(challenge_product(), 43), kKey.nonce(challenge_product(), 42));
}

TEST(Challenge, OnlyTheUsersOwnNonceForThisProductPasses) {
  const ProductState product = challenge_product();
  const std::string nonce = kKey.nonce(product, 42);
  EXPECT_FALSE(check_challenge(product, params_for("nonce=" + nonce), 42, kKey));
  auto missing = check_challenge(product, params_for(""), 42, kKey);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->code, Code::kChallengeFailed);
  EXPECT_EQ(http_status(missing->code), 403);
  EXPECT_TRUE(check_challenge(product, params_for("nonce=" + nonce), 43, kKey)) << "another's";
  ProductState other = challenge_product();
  other.id = 8;
  EXPECT_TRUE(check_challenge(other, params_for("nonce=" + nonce), 42, kKey)) << "another product";
  const ChallengeKey stranger("guess");
  EXPECT_TRUE(
      check_challenge(product, params_for("nonce=" + stranger.nonce(product, 42)), 42, kKey));
  ProductState open = challenge_product();
  open.challenge = false;
  EXPECT_FALSE(check_challenge(open, params_for(""), 42, kKey)) << "no challenge asked";
}

TEST(Challenge, AProofOfWorkIsCheckedBitByBit) {
  const ProductState product = challenge_product(12);
  const std::string nonce = kKey.nonce(product, 42);
  const std::string proof = solve(nonce, 12);
  EXPECT_TRUE(proof_of_work_holds(nonce, proof, 12));
  EXPECT_FALSE(
      check_challenge(product, params_for("nonce=" + nonce + "&proof=" + proof), 42, kKey));
  EXPECT_TRUE(check_challenge(product, params_for("nonce=" + nonce), 42, kKey)) << "no proof";
  // A proof for 12 bits rarely holds for 20; find one that does not, and one that is no proof.
  std::string weak = solve(nonce, 4);
  while (proof_of_work_holds(nonce, weak, 12)) weak = std::to_string(std::stoll(weak) + 1);
  EXPECT_TRUE(check_challenge(product, params_for("nonce=" + nonce + "&proof=" + weak), 42, kKey));
  EXPECT_FALSE(proof_of_work_holds(nonce, "", 0));
  EXPECT_FALSE(proof_of_work_holds(nonce, "12a", 0));
  EXPECT_FALSE(proof_of_work_holds(nonce, std::string(21, '1'), 0));
  EXPECT_FALSE(proof_of_work_holds(std::string(65, 'a'), "1", 1));
  EXPECT_TRUE(proof_of_work_holds(nonce, "5", 0));
}

TEST(ChallengeAnswer, OpensAtTheStartMinusTheLeadAndEndsWithTheSale) {
  ProductState product = challenge_product(16);
  product.challenge_lead_ms = 100;
  auto early = challenge_answer(product, 42, 899, kKey);
  EXPECT_EQ(early.code, Code::kNotStarted);
  EXPECT_EQ(early.body().find("nonce"), std::string::npos) << early.body();
  auto open = challenge_answer(product, 42, 900, kKey);
  EXPECT_EQ(open.code, Code::kOk);
  EXPECT_NE(open.body().find(R"("nonce":")" + kKey.nonce(product, 42) + "\""), std::string::npos)
      << open.body();
  EXPECT_NE(open.body().find(R"("pow_bits":16)"), std::string::npos) << open.body();
  EXPECT_EQ(challenge_answer(product, 42, 2000, kKey).code, Code::kEnded);
  product.challenge = false;
  EXPECT_NE(challenge_answer(product, 42, 1500, kKey).body().find(R"("required":false)"),
            std::string::npos);
}

}  // namespace
}  // namespace seckill::proxy
