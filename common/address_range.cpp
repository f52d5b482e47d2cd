#include "common/address_range.hpp"

#include <charconv>
#include <cstring>

#include <arpa/inet.h>

namespace seckill {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Digits only, 1..5 of them (a port; its range does not matter here).
bool is_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string_view address_of_hop(std::string_view hop) {
  hop = trim(hop);
  // "[2001:db8::1]:80" and "[2001:db8::1]" (RFC 7239 style brackets).
  if (hop.starts_with('[')) {
    const auto close = hop.find(']');
    if (close == std::string_view::npos) return hop;
    const std::string_view rest = hop.substr(close + 1);
    if (rest.empty() || (rest.front() == ':' && is_port(rest.substr(1)))) {
      return hop.substr(1, close - 1);
    }
    return hop;
  }
  // "1.2.3.4:5678": exactly one colon. More colons are an IPv6 address without a port.
  const auto colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos &&
      is_port(hop.substr(colon + 1))) {
    return hop.substr(0, colon);
  }
  return hop;
}

std::optional<Address> parse_address(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string copy(text);
  Address address{};
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    address[10] = 0xff;
    address[11] = 0xff;
    std::memcpy(address.data() + 12, &v4, 4);
    return address;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    std::memcpy(address.data(), &v6, 16);
    return address;
  }
  return std::nullopt;
}

std::optional<AddressRange> AddressRange::parse(std::string_view text) {
  text = trim(text);
  const auto slash = text.find('/');
  auto base = parse_address(text.substr(0, slash));
  if (!base) return std::nullopt;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  AddressRange range;
  range.base = *base;
  range.prefix = 128;
  if (slash != std::string_view::npos) {
    std::string_view bits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc{} || end != bits.data() + bits.size() || prefix < 0 ||
        prefix > (v4 ? 32 : 128)) {
      return std::nullopt;
    }
    range.prefix = v4 ? 96 + prefix : prefix;
  }
  return range;
}

bool AddressRange::contains(const Address& address) const {
  int bits = prefix;
  for (std::size_t i = 0; i < address.size() && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address[i] & mask) != (base[i] & mask)) return false;
  }
  return true;
}

bool in_any(const std::vector<AddressRange>& ranges, const Address& address) {
  for (const auto& range : ranges) {
    if (range.contains(address)) return true;
  }
  return false;
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<AddressRange>& trusted) {
  auto peer_address = parse_address(peer);
  if (!peer_address || !in_any(trusted, *peer_address) || trim(forwarded_for).empty()) {
    return std::string(peer);
  }
  // Right to left: each trusted hop vouches for the one before it; the first hop we do not
  // trust is the client. Garbage in the header ends the walk (the hop that wrote it is trusted,
  // but what it was given is not an address).
  std::string_view rest = forwarded_for;
  std::string_view candidate = peer;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    std::string_view hop =
        address_of_hop(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    auto address = parse_address(hop);
    if (!address) break;
    candidate = hop;
    if (!in_any(trusted, *address)) break;
  }
  return std::string(candidate);
}

}  // namespace seckill
