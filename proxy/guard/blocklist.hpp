// Blocklist: the users and client addresses (single addresses or CIDR ranges) that may not buy,
// as last read from Redis. Immutable once built; the refresher builds a new one every refresh.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/address_range.hpp"
#include "common/base/ids.hpp"

namespace seckill::proxy {

/// Hash of an address, for the set of single blocked addresses.
struct AddressHash {
  std::size_t operator()(const Address& address) const noexcept;
};

struct Blocklist {
  std::unordered_set<UserId> users;
  std::unordered_set<Address, AddressHash> addresses;  // single addresses: O(1)
  std::vector<AddressRange> ranges;                    // CIDR ranges: few, scanned

  bool blocks_user(UserId user) const { return users.contains(user); }
  bool blocks_address(std::string_view address) const;
};

/// Field -> value pairs of a Redis hash.
using HashEntries = std::vector<std::pair<std::string, std::string>>;

/// Builds a Blocklist from the hashes seckill:blocked:users and seckill:blocked:ips (entry ->
/// expiry in Unix ms, 0 for none), leaving out expired and malformed entries.
Blocklist make_blocklist(const HashEntries& users, const HashEntries& addresses,
                         std::int64_t now_ms);

}  // namespace seckill::proxy
