// AdminStore: the Redis side of seckill-admin: load, status, audit data, reset.
//
// Every write goes through a Lua script so that it is atomic with respect to running sales:
// reloading products while logic workers decide never loses or resets a sale.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/product.hpp"
#include "common/redis/redis_client.hpp"
#include "common/store/lua_script.hpp"
#include "common/store/redis_keys.hpp"
#include "tools/admin/audit/audit.hpp"

namespace seckill::admin {

/// One field a load changed (before -> after), or a runtime change it kept (the kept value and
/// the file's).
struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
};

struct LoadOutcome {
  ProductId id = 0;
  std::int64_t total = 0;
  std::int64_t left = 0;
  std::int64_t sold = 0;
  bool created = false;
  bool total_raised = false;  // the file asked for less than was already sold
  keys::GroupId group = 0;
  std::vector<FieldChange> changed;
  std::vector<FieldChange> kept;  // runtime changes that won over the file (not overwrite)
};

struct ProductStatus {
  ProductId id = 0;
  std::string name;
  std::int64_t total = 0, left = 0, sold = 0, start_ms = 0, end_ms = 0, per_user_limit = 1;
  bool enabled = true;
  std::int64_t buyers = 0;
  keys::GroupId group = 0;
};

class AdminStore {
 public:
  /// `groups`: how many groups unpinned products are spread over, when the store has no
  /// layout yet (the first load writes it; later ones follow what is stored).
  explicit AdminStore(RedisClient& redis, keys::GroupId groups = keys::kDefaultGroups);

  /// Creates or updates a product. A product keeps the group it was first loaded into: a file
  /// that pins it to another one is refused (its keys would have to move).
  /// Changes made while the sale runs (add-stock, set-window, pause and resume) win over the
  /// file unless `overwrite`: the added units stay on top of the file's total, the moved window
  /// and the paused state stay.
  Result<LoadOutcome> load(const Product& product, bool overwrite = false);
  Result<std::vector<ProductId>> product_ids();
  /// The group the product's keys live in; an Error for a product not in the directory.
  Result<keys::GroupId> group_of(ProductId id);
  /// The product's group in the directory, or nothing when it is not listed.
  Result<std::optional<keys::GroupId>> listed_group(ProductId id);
  /// The number of groups of the stored layout (written by the first load), if any.
  Result<std::optional<keys::GroupId>> stored_groups();
  Result<ProductStatus> status(ProductId id);
  /// Requests waiting, over the queues of every group in use.
  Result<std::int64_t> queue_length();
  Result<ProductAuditData> audit_data(ProductId id);
  /// Every field and value of a hash, page by page (HSCAN): not one snapshot.
  Status scan_hash(const std::string& key,
                   const std::function<void(std::string_view field, std::string_view value)>& each);
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
  /// What an unblock found: the entry was blocklisted; some proxy had it banned.
  struct Unblocked {
    bool was_blocked = false;
    bool was_banned = false;
  };
  /// Removes the blocklist entry and lifts any temporary ban on it: every proxy ends its ban
  /// within a second (bans are per exact address: a range lifts none).
  Result<Unblocked> unblock(const std::string& kind, const std::string& value);
  /// Every entry of one list with its expiry (Unix ms, 0 for none).
  Result<std::vector<std::pair<std::string, std::int64_t>>> blocklist(const std::string& kind);
  /// The temporary bans in force that the proxies have published, ("user" or "ip", value,
  /// until Unix ms), the soonest to end first.
  struct Ban {
    std::string kind;
    std::string value;
    std::int64_t until_ms = 0;
  };
  Result<std::vector<Ban>> bans();

 private:
  Result<RedisReply> command(const std::vector<std::string>& argv);
  Status update(ProductId id, std::vector<std::string> fields);
  /// The group a new product goes to: its pin, else a hash of its id over the layout's groups.
  Result<keys::GroupId> group_for_new(const Product& product);

  RedisClient& redis_;
  keys::GroupId groups_;
  LuaScript load_script_;
  LuaScript reset_script_;
  LuaScript update_script_;
  LuaScript add_stock_script_;
  LuaScript unblock_script_;
};

}  // namespace seckill::admin
