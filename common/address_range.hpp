// AddressRange: an IPv4 or IPv6 address or CIDR range, and the client-address rule of the API
// (README, HTTP API): the socket peer, or, when the peer is a trusted front proxy, the right-most
// address in X-Forwarded-For that is not itself trusted. Pure; unit tested.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seckill {

/// An address in 16 bytes (IPv4 as IPv4-mapped IPv6), so both families compare the same way.
using Address = std::array<std::uint8_t, 16>;

std::optional<Address> parse_address(std::string_view text);

struct AddressRange {
  Address base{};
  int prefix = 128;  // bits of `base` that must match (IPv4 /n is stored as /(96+n))

  /// "10.0.0.0/8", "::1/128", or a single address.
  static std::optional<AddressRange> parse(std::string_view text);
  bool contains(const Address& address) const;
};

bool in_any(const std::vector<AddressRange>& ranges, const Address& address);

/// The address of one X-Forwarded-For hop, without a port: "1.2.3.4:5678" -> "1.2.3.4",
/// "[2001:db8::1]:80" and "[2001:db8::1]" -> "2001:db8::1". Anything else is returned trimmed.
std::string_view address_of_hop(std::string_view hop);

/// The client address of a request from `peer` carrying `forwarded_for` (may be empty; several
/// header lines are joined with commas first, as HTTP field combining says).
/// Returns the address as text, as it should appear in logs and limits.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<AddressRange>& trusted);

}  // namespace seckill
