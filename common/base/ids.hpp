// Identifiers: user and product ids are decimal integers in 1..2^63-1 (README, HTTP API).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace seckill {

using UserId = std::int64_t;
using ProductId = std::int64_t;

/// Parses a strictly decimal id in 1..2^63-1: no sign, no spaces, no leading '+', no overflow.
std::optional<std::int64_t> parse_id(std::string_view text);

}  // namespace seckill
