#include "common/token/token.hpp"

#include <charconv>

namespace seckill {
namespace {

constexpr std::string_view kV2Prefix = "v2.";

/// The decimal digits of a non-negative number, exactly as to_chars writes it (no sign, no
/// leading zero), or nullopt.
std::optional<std::int64_t> canonical_number(std::string_view text) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

/// The parts of a v2 token; the signed message is everything before the last dot.
struct V2Token {
  std::string_view user;
  std::string_view expires;
  std::string_view key_id;
  std::string_view signed_part;
  std::string_view hex;
};

std::optional<V2Token> split_v2(std::string_view token) {
  if (!token.starts_with(kV2Prefix)) return std::nullopt;
  V2Token parts;
  std::string_view rest = token.substr(kV2Prefix.size());
  std::string_view* fields[] = {&parts.user, &parts.expires, &parts.key_id};
  for (std::string_view* field : fields) {
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    *field = rest.substr(0, dot);
    rest.remove_prefix(dot + 1);
  }
  parts.hex = rest;
  parts.signed_part = token.substr(0, token.size() - rest.size() - 1);
  return parts;
}

}  // namespace

TokenKeyring::TokenKeyring(const TokenConfig& config, std::string_view v1_secret)
    : lifetime_s_(config.lifetime_s) {
  keys_.reserve(config.keys.size());
  for (const auto& [id, secret] : config.keys) {
    if (id == config.sign_with) signing_ = keys_.size();
    keys_.push_back(Key{id, HmacKey(secret)});
  }
  if (config.accept_v1 && !v1_secret.empty()) v1_.emplace(v1_secret);
}

const TokenKeyring::Key* TokenKeyring::find(std::string_view key_id) const {
  for (const Key& key : keys_) {
    if (key.id == key_id) return &key;
  }
  return nullptr;
}

TokenCheck TokenKeyring::check(UserId user_id, std::string_view token, std::int64_t now_s) const {
  // Only the signature is secret; the token's layout, its user, expiry and key id are public,
  // so checking them first leaks nothing.
  HmacKey::Hex expected{};
  if (auto v2 = split_v2(token)) {
    const auto user = canonical_number(v2->user);
    const auto expires = canonical_number(v2->expires);
    const Key* key = find(v2->key_id);
    if (!user || *user != user_id || !expires || key == nullptr) return TokenCheck::kBad;
    key->hmac.hex_digest(v2->signed_part, expected);
    if (!equal_in_constant_time({expected.data(), expected.size()}, v2->hex)) {
      return TokenCheck::kBad;
    }
    // Checked after the signature: only a genuine token is told that it expired.
    return now_s < *expires ? TokenCheck::kValid : TokenCheck::kExpired;
  }
  if (!v1_ || token.size() != HmacKey::kHexSize) return TokenCheck::kBad;
  std::array<char, 24> user{};
  const auto end = std::to_chars(user.data(), user.data() + user.size(), user_id).ptr;
  v1_->hex_digest({user.data(), static_cast<std::size_t>(end - user.data())}, expected);
  return equal_in_constant_time({expected.data(), expected.size()}, token) ? TokenCheck::kValid
                                                                           : TokenCheck::kBad;
}

std::string TokenKeyring::issue(UserId user_id, std::int64_t expires_s) const {
  const Key& key = keys_.at(signing_);
  std::string token(kV2Prefix);
  token += std::to_string(user_id);
  token += '.';
  token += std::to_string(expires_s);
  token += '.';
  token += key.id;
  HmacKey::Hex hex{};
  key.hmac.hex_digest(token, hex);
  token += '.';
  token.append(hex.data(), hex.size());
  return token;
}

std::string make_token(std::string_view secret, UserId user_id) {
  const std::string user = std::to_string(user_id);
  HmacKey::Hex hex{};
  HmacKey(secret).hex_digest(user, hex);
  return {hex.data(), hex.size()};
}

bool verify_token(std::string_view secret, UserId user_id, std::string_view token) {
  const std::string user = std::to_string(user_id);
  HmacKey::Hex hex{};
  HmacKey(secret).hex_digest(user, hex);
  return equal_in_constant_time({hex.data(), hex.size()}, token);
}

}  // namespace seckill
