// The challenge of a product that asks for one (README, HTTP API: Challenges).
//
// GET /challenge hands a buyer, from `challenge_lead_ms` before the start, a nonce: the hex of
// HMAC-SHA256(token signing key, "challenge.<product>.<user>.<start_ms>.<end_ms>"). It is the
// same for that buyer, product and sale window on every proxy and needs no Redis; another
// user's, another product's or another window's is worth nothing. With pow_bits > 0 the buyer
// must also find a proof: decimal digits x with SHA-256(nonce followed by x) starting with
// pow_bits zero bits, which costs about 2^pow_bits hashes to find and one to check.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/base/ids.hpp"
#include "common/token/hmac_key.hpp"
#include "proxy/api/api_answer.hpp"
#include "proxy/api/request_params.hpp"
#include "proxy/state/product_cache.hpp"

namespace seckill::proxy {

/// Longest proof accepted: 20 digits hold any 64-bit counter.
inline constexpr std::size_t kMaxProofLength = 20;

class ChallengeKey {
 public:
  /// `secret`: the token signing key's; the message's "challenge." prefix keeps a nonce from
  /// ever being a token.
  explicit ChallengeKey(std::string_view secret) : key_(secret) {}

  /// The nonce of `user` for `product`'s current sale window.
  std::string nonce(const ProductState& product, UserId user) const;

 private:
  HmacKey key_;
};

/// Whether SHA-256(`nonce` + `proof`) starts with `bits` zero bits; `proof` must be 1..20
/// decimal digits.
bool proof_of_work_holds(std::string_view nonce, std::string_view proof, int bits);

/// nullopt when `product` asks for no challenge, or when `params` carry the right `nonce` (and
/// `proof`) for `user`; else the 4005 answer.
std::optional<ApiAnswer> check_challenge(const ProductState& product, const RequestParams& params,
                                         UserId user, const ChallengeKey& key);

/// The answer to GET /challenge of `user` for `product` at `now_ms`: the nonce and pow_bits
/// once the challenge is out; 1003 before that, 1004 after the end; for a product without a
/// challenge, 0 saying none is needed.
ApiAnswer challenge_answer(const ProductState& product, UserId user, std::int64_t now_ms,
                           const ChallengeKey& key);

}  // namespace seckill::proxy
