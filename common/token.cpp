#include "common/token.hpp"

#include <array>
#include <memory>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace seckill {
namespace {

constexpr std::size_t kBlockSize = 64;   // SHA-256's block
constexpr std::size_t kDigestSize = 32;  // and its digest

struct ContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using Context = std::unique_ptr<EVP_MD_CTX, ContextDeleter>;

Context new_context() {
  Context context(EVP_MD_CTX_new());
  if (!context) throw std::bad_alloc();
  return context;
}

/// A SHA-256 state that has absorbed `key ^ pad` (RFC 2104).
EVP_MD_CTX* padded_state(const std::array<unsigned char, kBlockSize>& key, unsigned char pad) {
  std::array<unsigned char, kBlockSize> block{};
  for (std::size_t i = 0; i < kBlockSize; ++i) block[i] = key[i] ^ pad;
  Context context = new_context();
  if (EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), block.data(), block.size()) != 1) {
    throw std::runtime_error("SHA-256 unavailable");
  }
  OPENSSL_cleanse(block.data(), block.size());
  return context.release();
}

/// One scratch context per thread, reused: a token check allocates nothing.
EVP_MD_CTX* scratch() {
  thread_local Context context = new_context();
  return context.get();
}

}  // namespace

TokenSigner::TokenSigner(std::string_view secret) {
  // A key longer than a block is hashed first (RFC 2104); a shorter one is zero-padded.
  std::array<unsigned char, kBlockSize> key{};
  if (secret.size() > kBlockSize) {
    unsigned int length = 0;
    EVP_Digest(secret.data(), secret.size(), key.data(), &length, EVP_sha256(), nullptr);
  } else {
    std::copy(secret.begin(), secret.end(), key.begin());
  }
  inner_ = padded_state(key, 0x36);
  outer_ = padded_state(key, 0x5c);
  OPENSSL_cleanse(key.data(), key.size());
}

TokenSigner::~TokenSigner() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

std::string TokenSigner::sign(UserId user_id) const {
  std::array<char, kTokenLength> hex{};
  sign_into(user_id, hex);
  return {hex.data(), hex.size()};
}

void TokenSigner::sign_into(UserId user_id, std::array<char, kTokenLength>& hex) const {
  const std::string message = std::to_string(user_id);
  std::array<unsigned char, kDigestSize> inner_digest{};
  std::array<unsigned char, kDigestSize> digest{};
  unsigned int length = 0;
  EVP_MD_CTX* work = scratch();
  EVP_MD_CTX_copy_ex(work, inner_);
  EVP_DigestUpdate(work, message.data(), message.size());
  EVP_DigestFinal_ex(work, inner_digest.data(), &length);
  EVP_MD_CTX_copy_ex(work, outer_);
  EVP_DigestUpdate(work, inner_digest.data(), inner_digest.size());
  EVP_DigestFinal_ex(work, digest.data(), &length);
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
