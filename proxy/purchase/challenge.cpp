#include "proxy/purchase/challenge.hpp"

#include <algorithm>
#include <array>

#include <openssl/sha.h>

#include "common/product.hpp"

namespace seckill::proxy {

std::string ChallengeKey::nonce(const ProductState& product, UserId user) const {
  std::string message = "challenge.";
  message += std::to_string(product.id);
  message += '.';
  message += std::to_string(user);
  message += '.';
  message += std::to_string(product.start_ms);
  message += '.';
  message += std::to_string(product.end_ms);
  HmacKey::Hex hex{};
  key_.hex_digest(message, hex);
  return {hex.data(), hex.size()};
}

bool proof_of_work_holds(std::string_view nonce, std::string_view proof, int bits) {
  if (proof.empty() || proof.size() > kMaxProofLength ||
      !std::all_of(proof.begin(), proof.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  if (bits <= 0) return true;
  if (nonce.size() > HmacKey::kHexSize) return false;  // never one of ours
  std::array<unsigned char, HmacKey::kHexSize + kMaxProofLength> text{};
  std::copy(nonce.begin(), nonce.end(), text.begin());
  std::copy(proof.begin(), proof.end(), text.begin() + static_cast<std::ptrdiff_t>(nonce.size()));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(text.data(), nonce.size() + proof.size(), digest);
  int index = 0;
  for (; bits >= 8; bits -= 8) {
    if (digest[index++] != 0) return false;
  }
  return bits == 0 || (digest[index] >> (8 - bits)) == 0;
}

std::optional<ApiAnswer> check_challenge(const ProductState& product, const RequestParams& params,
                                         UserId user, const ChallengeKey& key) {
  if (!product.challenge) return std::nullopt;
  const auto nonce = params.get("nonce");
  const auto proof = params.get("proof");
  const bool holds =
      nonce && equal_in_constant_time(key.nonce(product, user), *nonce) &&
      (product.pow_bits == 0 || (proof && proof_of_work_holds(*nonce, *proof, product.pow_bits)));
  if (holds) return std::nullopt;
  return ApiAnswer::of(Code::kChallengeFailed).with_int("product_id", product.id);
}

ApiAnswer challenge_answer(const ProductState& product, UserId user, std::int64_t now_ms,
                           const ChallengeKey& key) {
  if (!product.challenge) {
    return ApiAnswer::of(Code::kOk, "no challenge needed")
        .with_int("product_id", product.id)
        .with_json("required", "false");
  }
  const std::int64_t opens_ms = product.start_ms - product.challenge_lead_ms;
  if (now_ms < opens_ms) {
    return ApiAnswer::of(Code::kNotStarted, "the challenge is handed out from the start")
        .with_int("product_id", product.id)
        .with_int("start_ms", product.start_ms)
        .with_int("challenge_opens_ms", opens_ms)
        .with_string("start", format_iso8601_ms(product.start_ms));
  }
  if (now_ms >= product.end_ms)
    return ApiAnswer::of(Code::kEnded).with_int("product_id", product.id);
  return ApiAnswer::of(Code::kOk, "challenge")
      .with_int("product_id", product.id)
      .with_json("required", "true")
      .with_string("nonce", key.nonce(product, user))
      .with_int("pow_bits", product.pow_bits);
}

}  // namespace seckill::proxy
