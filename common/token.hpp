// User tokens: lowercase hex of HMAC-SHA256(secret, decimal user id) (DESIGN.md).
// The secret never appears in logs; comparison takes the same time wherever the strings differ.
#pragma once

#include <string>
#include <string_view>

#include "common/ids.hpp"

namespace seckill {

/// The token a user `user_id` must present.
std::string make_token(std::string_view secret, UserId user_id);

/// Whether `token` is the right token for `user_id`, compared in constant time.
bool verify_token(std::string_view secret, UserId user_id, std::string_view token);

}  // namespace seckill
