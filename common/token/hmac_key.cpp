// OpenSSL 3 deprecates the SHA256_* functions in favour of EVP, but EVP_MD_CTX_copy_ex allocates
// a fresh provider context on every copy (OpenSSL 3.0), and an HMAC copies two keyed states. A
// SHA256_CTX is a plain struct: restoring a keyed state is an assignment.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "common/token/hmac_key.hpp"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace seckill {
namespace {

constexpr std::size_t kBlockSize = SHA256_CBLOCK;
static_assert(HmacKey::kDigestSize == SHA256_DIGEST_LENGTH);

/// A SHA-256 state that has absorbed `key ^ pad`.
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

struct HmacKey::KeyedStates {
  SHA256_CTX inner;
  SHA256_CTX outer;
  ~KeyedStates() { OPENSSL_cleanse(this, sizeof(*this)); }
};

HmacKey::HmacKey(std::string_view secret) : states_(std::make_unique<KeyedStates>()) {
  // A key longer than a block is hashed first; a shorter one is zero-padded.
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

HmacKey::~HmacKey() = default;
HmacKey::HmacKey(HmacKey&&) noexcept = default;
HmacKey& HmacKey::operator=(HmacKey&&) noexcept = default;

HmacKey::Digest HmacKey::digest(std::string_view message) const {
  Digest inner_digest{};
  Digest digest{};
  SHA256_CTX work = states_->inner;
  SHA256_Update(&work, message.data(), message.size());
  SHA256_Final(inner_digest.data(), &work);
  work = states_->outer;
  SHA256_Update(&work, inner_digest.data(), inner_digest.size());
  SHA256_Final(digest.data(), &work);
  OPENSSL_cleanse(&work, sizeof(work));
  return digest;
}

void HmacKey::hex_digest(std::string_view message, Hex& hex) const {
  to_hex(digest(message), hex);
}

void to_hex(const HmacKey::Digest& digest, HmacKey::Hex& hex) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace seckill
