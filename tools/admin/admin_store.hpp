// AdminStore: the Redis side of seckill-admin: load, status, audit data, reset.
//
// Every write goes through a Lua script so that it is atomic with respect to running sales:
// reloading products while logic workers decide never loses or resets a sale.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/lua_script.hpp"
#include "common/product.hpp"
#include "common/redis_connection.hpp"
#include "common/result.hpp"
#include "tools/admin/audit.hpp"

namespace seckill::admin {

struct LoadOutcome {
  ProductId id = 0;
  std::int64_t total = 0;
  std::int64_t left = 0;
  std::int64_t sold = 0;
  bool total_raised = false;  // the file asked for less than was already sold
};

struct ProductStatus {
  ProductId id = 0;
  std::string name;
  std::int64_t total = 0, left = 0, sold = 0, start_ms = 0, end_ms = 0, per_user_limit = 1;
  bool enabled = true;
  std::int64_t buyers = 0;
};

class AdminStore {
 public:
  explicit AdminStore(RedisConnection& redis);

  Result<LoadOutcome> load(const Product& product);
  Result<std::vector<ProductId>> product_ids();
  Result<ProductStatus> status(ProductId id);
  Result<std::int64_t> queue_length();
  Result<ProductAuditData> audit_data(ProductId id);
  /// Returns the stock after the reset, or an Error for an unknown product.
  Result<std::int64_t> reset(ProductId id);
  /// Pauses (false) or resumes (true) a sale.
  Status set_enabled(ProductId id, bool enabled);
  /// Moves a sale's window.
  Status set_window(ProductId id, std::int64_t start_ms, std::int64_t end_ms);
  /// Adds `units` (> 0) to the stock; returns the new stock left.
  Result<std::int64_t> add_stock(ProductId id, std::int64_t units);

  /// Blocklists: `kind` is "user" or "ip"; `expiry_ms` 0 blocks until unblocked.
  Status block(const std::string& kind, const std::string& value, std::int64_t expiry_ms);
  /// False when the entry was not blocked.
  Result<bool> unblock(const std::string& kind, const std::string& value);
  /// Every entry of one list with its expiry (Unix ms, 0 for none).
  Result<std::vector<std::pair<std::string, std::int64_t>>> blocklist(const std::string& kind);

 private:
  Result<RedisReply> command(const std::vector<std::string>& argv);
  Status update(ProductId id, std::vector<std::string> fields);

  RedisConnection& redis_;
  LuaScript load_script_;
  LuaScript reset_script_;
  LuaScript update_script_;
  LuaScript add_stock_script_;
};

}  // namespace seckill::admin
