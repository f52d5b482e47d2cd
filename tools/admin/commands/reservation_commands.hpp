// seckill-admin's reservation commands: draw and verify-draw (README, Reservations).
//
// Each returns the program's exit code (exit_codes.hpp).
#pragma once

#include <string>

#include "common/redis/redis_client.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill::admin {

/// Makes a product's draw now, when its reservation has closed and the logic tier has not made
/// it yet; with `seed` (16..64 lowercase hex digits) instead of a random one.
int run_draw(RedisClient& redis, AdminStore& store, const std::string& product,
             const std::string& seed);
/// Redoes a product's draw from its published seed and its list, and checks that exactly those
/// users were drawn: kExitRefused when they were not (or no draw was made).
int run_verify_draw(RedisClient& redis, AdminStore& store, const std::string& product);

}  // namespace seckill::admin
