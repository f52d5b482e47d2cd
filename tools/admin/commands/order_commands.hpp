// seckill-admin's order commands: pay, cancel and orders (README, Operations: orders).
//
// Each returns the program's exit code (exit_codes.hpp): the order did not take it (a refund is
// due, it was not awaiting payment, a mismatch, no such order) is kExitRefused.
#pragma once

#include <cstdint>
#include <string>

#include "common/redis/redis_client.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill::admin {

struct PayRequest {
  std::string order_id;
  std::string payment_id;
  std::int64_t amount = -1;  // minor units; required
  std::string currency;      // empty: the product's
};

int run_pay(RedisClient& redis, AdminStore& store, const PayRequest& request);
int run_cancel(RedisClient& redis, AdminStore& store, const std::string& order_id);
/// Lists a product's orders, oldest first, only those in `state` when it is not empty.
int run_orders(AdminStore& store, const std::string& product, const std::string& state);

}  // namespace seckill::admin
