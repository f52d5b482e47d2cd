// User tokens (README, HTTP API: Tokens). Two formats:
//
//   v2  "v2.<user id>.<expires, Unix s>.<key id>.<hex>"  where <hex> is the lowercase hex of
//       HMAC-SHA256(key, "v2.<user id>.<expires>.<key id>") under the key that key id names.
//       It expires, and several keys are accepted at once, so a key rotates with nobody
//       logged out: add the new key, sign with it, drop the old one when its tokens expired.
//   v1  "<hex>" of HMAC-SHA256(secret, "<user id>"): never expires; accepted only while
//       tokens.accept_v1 is on, and going away.
//
// A check needs no Redis round trip; the signature is compared in constant time, and the
// secrets never appear in logs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/ids.hpp"
#include "common/token/hmac_key.hpp"
#include "common/token/token_config.hpp"

namespace seckill {

enum class TokenCheck {
  kValid,
  kBad,      // not a token of this user under any key accepted
  kExpired,  // a genuine v2 token whose time is up
};

/// The keys a proxy accepts tokens under and signs new ones with. Safe to share between
/// threads; built once at start.
class TokenKeyring {
 public:
  /// `config` as finalize_token_config left it; `v1_secret` checks v1 tokens while
  /// config.accept_v1 is on.
  TokenKeyring(const TokenConfig& config, std::string_view v1_secret);

  /// Whether `token` lets `user_id` in at `now_s` (Unix seconds).
  TokenCheck check(UserId user_id, std::string_view token, std::int64_t now_s) const;

  /// A v2 token of `user_id` that expires at `expires_s`, under the signing key.
  std::string issue(UserId user_id, std::int64_t expires_s) const;
  /// The same, valid for the configured lifetime from `now_s`.
  std::string issue_from(UserId user_id, std::int64_t now_s) const {
    return issue(user_id, now_s + lifetime_s_);
  }
  std::int64_t lifetime_s() const { return lifetime_s_; }

 private:
  struct Key {
    std::string id;
    HmacKey hmac;
  };
  const Key* find(std::string_view key_id) const;

  std::vector<Key> keys_;
  std::size_t signing_ = 0;
  std::optional<HmacKey> v1_;  // empty: v1 tokens are refused
  std::int64_t lifetime_s_ = 0;
};

/// The v1 token of `user_id` under `secret`.
std::string make_token(std::string_view secret, UserId user_id);

/// Whether `token` is the v1 token of `user_id` under `secret`.
bool verify_token(std::string_view secret, UserId user_id, std::string_view token);

}  // namespace seckill
