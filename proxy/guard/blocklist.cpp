#include "proxy/guard/blocklist.hpp"

#include <charconv>

namespace seckill::proxy {
namespace {

bool expired(const std::string& expiry, std::int64_t now_ms) {
  std::int64_t at = 0;
  std::from_chars(expiry.data(), expiry.data() + expiry.size(), at);
  return at != 0 && at <= now_ms;
}

}  // namespace

std::size_t AddressHash::operator()(const Address& address) const noexcept {
  return std::hash<std::string_view>{}(
      std::string_view(reinterpret_cast<const char*>(address.data()), address.size()));
}

bool Blocklist::blocks_address(std::string_view address) const {
  if (addresses.empty() && ranges.empty()) return false;
  auto parsed = parse_address(address);
  return parsed && (addresses.contains(*parsed) || in_any(ranges, *parsed));
}

Blocklist make_blocklist(const HashEntries& users, const HashEntries& addresses,
                         std::int64_t now_ms) {
  Blocklist blocklist;
  for (const auto& [user, expiry] : users) {
    if (expired(expiry, now_ms)) continue;
    if (auto id = parse_id(user)) blocklist.users.insert(*id);
  }
  for (const auto& [address, expiry] : addresses) {
    if (expired(expiry, now_ms)) continue;
    auto range = AddressRange::parse(address);
    if (!range) continue;
    if (range->prefix == 128) {
      blocklist.addresses.insert(range->base);
    } else {
      blocklist.ranges.push_back(*range);
    }
  }
  return blocklist;
}

}  // namespace seckill::proxy
