#include "common/reservation/reservation_draw.hpp"

#include <algorithm>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace seckill {
namespace {

std::string lowercase_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0x0f];
  }
  return hex;
}

}  // namespace

std::string draw_ticket(std::string_view seed, std::string_view user) {
  std::string text;
  text.reserve(seed.size() + 1 + user.size());
  text += seed;
  text += ':';
  text += user;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("SHA-1 failed");
  }
  return lowercase_hex(digest, size);
}

std::vector<std::string> draw_winners(const std::vector<std::string>& listed, std::string_view seed,
                                      std::int64_t winners) {
  // "<ticket>:<user>" sorts by ticket, then by user: the order draw.lua sorts its entries in.
  std::vector<std::string> entries;
  entries.reserve(listed.size());
  for (const std::string& user : listed) entries.push_back(draw_ticket(seed, user) + ":" + user);
  const auto count =
      static_cast<std::size_t>(std::clamp<std::int64_t>(winners, 0, std::ssize(entries)));
  std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(count),
                    entries.end());
  std::vector<std::string> picked;
  picked.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    picked.push_back(entries[i].substr(entries[i].find(':') + 1));
  return picked;
}

std::string new_draw_seed() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for a seed");
  return lowercase_hex(bytes, sizeof bytes);
}

bool valid_draw_seed(std::string_view seed) {
  return seed.size() >= 16 && seed.size() <= 64 &&
         std::all_of(seed.begin(), seed.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace seckill
