// seckill-admin's product and blocklist commands: load, status, audit, reset, the live sale
// controls (pause, resume, add-stock, set-window), block, unblock, blocklist (README,
// Operations). Each returns the program's exit code (exit_codes.hpp) and prints what it did.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/admin/admin_store.hpp"

namespace seckill::admin {

/// Loads a products file; runtime changes win over it unless `overwrite`. Prints each product's
/// stock, then what the load changed and what it kept.
int run_load(AdminStore& store, const std::string& file, bool overwrite);
/// args: "status" [PRODUCT]
int run_status(AdminStore& store, const std::vector<std::string>& args);
/// Every invariant of every product; with `orders_db` also against PostgreSQL.
int run_audit(AdminStore& store, const std::string& orders_db);
/// args: "reset" PRODUCT. Refused when the product has orders, unless `force`.
int run_reset(AdminStore& store, const std::vector<std::string>& args, bool force);
/// args: "pause"|"resume" PRODUCT, "add-stock" PRODUCT N, "set-window" PRODUCT START END.
int run_control(AdminStore& store, const std::vector<std::string>& args);
/// args: "block"|"unblock" user|ip VALUE; `ttl_s` (block only) 0 blocks until unblocked.
/// unblock also lifts a temporary ban of the same user or address.
int run_block(AdminStore& store, const std::vector<std::string>& args, std::int64_t ttl_s);
int run_blocklist(AdminStore& store);
/// The temporary bans in force, as the proxies published them (within a second).
int run_bans(AdminStore& store);

}  // namespace seckill::admin
