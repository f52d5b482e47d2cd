#include "common/cluster/node_address.hpp"

#include <charconv>

namespace seckill {

std::optional<NodeAddress> parse_node_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  int port = 0;
  const std::string_view digits = text.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port <= 0 || port > 65535) {
    return std::nullopt;
  }
  return NodeAddress{std::string(text.substr(0, colon)), port};
}

}  // namespace seckill
