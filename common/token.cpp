// OpenSSL 3 deprecates the SHA256_* functions in favour of EVP, but EVP_MD_CTX_copy_ex allocates
// a fresh provider context on every copy (OpenSSL 3.0), and a token check copies two keyed
// states. A SHA256_CTX is a plain struct: restoring a keyed state is an assignment.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "common/token.hpp"

#include <algorithm>
#include <charconv>

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace seckill {
namespace {

constexpr std::size_t kBlockSize = SHA256_CBLOCK;          // SHA-256's block
constexpr std::size_t kDigestSize = SHA256_DIGEST_LENGTH;  // and its digest

/// A SHA-256 state that has absorbed `key ^ pad` (RFC 2104).
SHA256_CTX padded_state(const std::array<unsigned char, kBlockSize>& key, unsigned char pad) {
  std::array<unsigned char, kBlockSize> block{};
  for (std::size_t i = 0; i < kBlockSize; ++i) block[i] = key[i] ^ pad;
  SHA256_CTX state;
  SHA256_Init(&state);
  SHA256_Update(&state, block.data(), block.size());
  OPENSSL_cleanse(block.data(), block.size());
  return state;
}

}  // namespace

struct TokenSigner::KeyedStates {
  SHA256_CTX inner;
  SHA256_CTX outer;
  ~KeyedStates() { OPENSSL_cleanse(this, sizeof(*this)); }
};

TokenSigner::TokenSigner(std::string_view secret) : states_(std::make_unique<KeyedStates>()) {
  // A key longer than a block is hashed first (RFC 2104); a shorter one is zero-padded.
  std::array<unsigned char, kBlockSize> key{};
  if (secret.size() > kBlockSize) {
    SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), key.data());
  } else {
    std::copy(secret.begin(), secret.end(), key.begin());
  }
  states_->inner = padded_state(key, 0x36);
  states_->outer = padded_state(key, 0x5c);
  OPENSSL_cleanse(key.data(), key.size());
}

TokenSigner::~TokenSigner() = default;

std::string TokenSigner::sign(UserId user_id) const {
  std::array<char, kTokenLength> hex{};
  sign_into(user_id, hex);
  return {hex.data(), hex.size()};
}

void TokenSigner::sign_into(UserId user_id, std::array<char, kTokenLength>& hex) const {
  std::array<char, 24> message{};
  const auto end = std::to_chars(message.data(), message.data() + message.size(), user_id).ptr;
  std::array<unsigned char, kDigestSize> inner_digest{};
  std::array<unsigned char, kDigestSize> digest{};
  SHA256_CTX work = states_->inner;
  SHA256_Update(&work, message.data(), static_cast<std::size_t>(end - message.data()));
  SHA256_Final(inner_digest.data(), &work);
  work = states_->outer;
  SHA256_Update(&work, inner_digest.data(), inner_digest.size());
  SHA256_Final(digest.data(), &work);
  static constexpr char kHex[] = "0123456789abcdef";
  static_assert(kTokenLength == 2 * kDigestSize);
  for (std::size_t i = 0; i < kDigestSize; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
}

bool TokenSigner::verify(UserId user_id, std::string_view token) const {
  // The length of a valid token is public (64), so checking it first leaks nothing.
  if (token.size() != kTokenLength) return false;
  std::array<char, kTokenLength> expected{};
  sign_into(user_id, expected);
  return CRYPTO_memcmp(expected.data(), token.data(), expected.size()) == 0;
}

std::string make_token(std::string_view secret, UserId user_id) {
  return TokenSigner(secret).sign(user_id);
}

bool verify_token(std::string_view secret, UserId user_id, std::string_view token) {
  return TokenSigner(secret).verify(user_id, token);
}

}  // namespace seckill
