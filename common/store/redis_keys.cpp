#include "common/store/redis_keys.hpp"

#include <charconv>

#include "common/cluster/cluster_slot.hpp"
#include "common/product.hpp"

namespace seckill::keys {

static_assert(kMaxProductGroup == kMaxGroups - 1);

GroupId default_group(ProductId id, GroupId groups) {
  if (groups <= 1) return 0;
  return static_cast<GroupId>(crc16_xmodem(std::to_string(id)) % static_cast<unsigned>(groups));
}

std::string group_prefix(GroupId group) {
  return "seckill:{g" + std::to_string(group) + "}:";
}

std::optional<GroupId> group_of_key(std::string_view key) {
  // Only a key that starts with a group's prefix: a proxy named "g7" has the tag {g7} too.
  constexpr std::string_view kStart = "seckill:{g";
  if (!key.starts_with(kStart)) return std::nullopt;
  key.remove_prefix(kStart.size());
  const std::size_t end = key.find("}:");
  if (end == std::string_view::npos) return std::nullopt;
  return parse_group(key.substr(0, end));
}

std::optional<GroupId> parse_group(std::string_view digits) {
  if (digits.empty() || (digits.size() > 1 && digits.front() == '0')) return std::nullopt;
  GroupId group = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), group);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  if (group < 0 || group >= kMaxGroups) return std::nullopt;
  return group;
}

}  // namespace seckill::keys
