// NodeAddress: where one Redis node (or sentinel) listens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seckill {

struct NodeAddress {
  std::string host;
  int port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
  bool operator==(const NodeAddress&) const = default;
};

/// "host:port" (the host may be an IPv6 address: the port follows the last ':').
std::optional<NodeAddress> parse_node_address(std::string_view text);

}  // namespace seckill
