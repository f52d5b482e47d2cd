// User tokens: lowercase hex of HMAC-SHA256(secret, decimal user id) (README, HTTP API).
// The secret never appears in logs; comparison takes the same time wherever the strings differ.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "common/base/ids.hpp"

namespace seckill {

/// Signs and checks tokens for one secret. The key's inner and outer HMAC pads are hashed once,
/// here, so each token costs two short SHA-256 finishes instead of a whole HMAC set-up (about
/// 0.2 us instead of 1.3 us: it runs on every purchase), and allocates nothing. Safe to share
/// between threads.
class TokenSigner {
 public:
  explicit TokenSigner(std::string_view secret);
  ~TokenSigner();
  TokenSigner(const TokenSigner&) = delete;
  TokenSigner& operator=(const TokenSigner&) = delete;
  TokenSigner(TokenSigner&&) = delete;
  TokenSigner& operator=(TokenSigner&&) = delete;

  /// The token user `user_id` must present.
  std::string sign(UserId user_id) const;
  /// Whether `token` is the right token for `user_id`, compared in constant time.
  bool verify(UserId user_id, std::string_view token) const;

  static constexpr std::size_t kTokenLength = 64;  // hex of a SHA-256 digest

 private:
  // The token of `user_id`, in a buffer of the caller's: verify() runs on every purchase.
  void sign_into(UserId user_id, std::array<char, kTokenLength>& hex) const;

  struct KeyedStates;  // the SHA-256 states after (key ^ ipad) and (key ^ opad)
  std::unique_ptr<KeyedStates> states_;
};

/// The token a user `user_id` must present (one-off use: builds a TokenSigner).
std::string make_token(std::string_view secret, UserId user_id);

/// Whether `token` is the right token for `user_id` (one-off use: builds a TokenSigner).
bool verify_token(std::string_view secret, UserId user_id, std::string_view token);

}  // namespace seckill
