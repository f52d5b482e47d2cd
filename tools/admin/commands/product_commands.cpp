#include "tools/admin/commands/product_commands.hpp"

#include <algorithm>
#include <iostream>
#include <optional>

#include "common/address_range.hpp"
#include "common/base/clock.hpp"
#include "common/program/config_reader.hpp"
#include "tools/admin/audit/record_audit.hpp"
#include "tools/admin/audit/record_store.hpp"
#include "tools/admin/exit_codes.hpp"

namespace seckill::admin {
namespace {

// How a field's stored value reads to an operator: sale times as ISO-8601, the rest as stored.
std::string shown(const std::string& field, const std::string& value) {
  if (field == "start_ms" || field == "end_ms") {
    if (auto ms = parse_id(value)) return format_iso8601_ms(*ms);
  }
  if (field == "enabled") return value == "1" ? "on" : "off";
  return value;
}

void print_load(const Product& product, const LoadOutcome& outcome) {
  std::cout << "product " << outcome.id << " \"" << product.name
            << "\": " << (outcome.created ? "created, " : "") << "total " << outcome.total
            << ", left " << outcome.left << ", sold " << outcome.sold << ", group " << outcome.group
            << "\n";
  for (const auto& change : outcome.changed) {
    std::cout << "  " << change.field << ": " << shown(change.field, change.before) << " -> "
              << shown(change.field, change.after) << "\n";
  }
  for (const auto& kept : outcome.kept) {
    if (kept.field == "added") {
      std::cout << "  kept " << kept.before << " units added by add-stock on top of the file's "
                << "total (--overwrite drops them)\n";
    } else {
      std::cout << "  kept " << kept.field << " " << shown(kept.field, kept.before)
                << " set while the sale ran (the file says " << shown(kept.field, kept.after)
                << "; --overwrite takes the file's)\n";
    }
  }
  if (outcome.total_raised) {
    std::cout << "  warning: the total asked for is below what was sold; kept at " << outcome.total
              << "\n";
  }
}

// The product an argument names, and that it is in the store; an exit code otherwise.
struct KnownProduct {
  ProductId id = 0;
  int exit_code = kExitDone;
};

KnownProduct known_product(AdminStore& store, const std::string& command, const std::string& text) {
  auto id = parse_id(text);
  if (!id) return {0, usage_error(command + ": PRODUCT must be an id, not \"" + text + "\"")};
  auto listed = store.listed_group(*id);
  if (!listed) return {0, redis_error(listed.error())};
  if (!*listed) {
    std::cerr << "seckill-admin: " << command << ": unknown product " << *id << "\n";
    return {0, kExitUnknownProduct};
  }
  return {*id, kExitDone};
}

int print_status(AdminStore& store, ProductId id) {
  auto status = store.status(id);
  if (!status) return redis_error(status.error());
  const std::int64_t now = unix_ms_now();
  const char* state = now >= status->end_ms    ? "ended"
                      : !status->enabled       ? "paused"
                      : now < status->start_ms ? "upcoming"
                      : status->left <= 0      ? "sold_out"
                                               : "active";
  std::cout << "product " << status->id << " \"" << status->name << "\": " << state << ", total "
            << status->total << ", left " << status->left << ", sold " << status->sold
            << ", buyers " << status->buyers << ", per-user limit " << status->per_user_limit
            << ", window " << format_iso8601_ms(status->start_ms) << " .. "
            << format_iso8601_ms(status->end_ms) << ", group " << status->group << "\n";
  return kExitDone;
}

// Prints each check of `result`, marked; returns how many were breached.
std::size_t print_audit(const AuditResult& result) {
  for (const auto& line : result.checked) {
    bool failed =
        std::find(result.breaches.begin(), result.breaches.end(), line) != result.breaches.end();
    std::cout << (failed ? "BREACH " : "ok     ") << line << "\n";
  }
  return result.breaches.size();
}

}  // namespace

int run_load(AdminStore& store, const std::string& file, bool overwrite) {
  std::vector<Product> products;
  try {
    products = load_products_file(file);
  } catch (const ConfigError& error) {
    std::cerr << "seckill-admin: bad products file: " << error.what() << "\n";
    return kExitUsage;
  }
  for (const auto& product : products) {
    // A product keeps its group: moving it would strand its orders in the old one.
    auto listed = store.listed_group(product.id);
    if (!listed) return redis_error(listed.error());
    if (product.group && *listed && **listed != *product.group) {
      std::cerr << "seckill-admin: bad products file: product " << product.id << ": group "
                << *product.group << ": the product lives in group " << **listed
                << " already; keep that group or use a new product id\n";
      return kExitUsage;
    }
  }
  for (const auto& product : products) {
    auto outcome = store.load(product, overwrite);
    if (!outcome) return redis_error(outcome.error());
    print_load(product, *outcome);
  }
  std::cout << "loaded " << products.size() << " products\n";
  return kExitDone;
}

int run_status(AdminStore& store, const std::vector<std::string>& args) {
  if (args.size() > 2) return usage_error("status takes at most one PRODUCT");
  if (args.size() == 2) {
    const KnownProduct product = known_product(store, "status", args[1]);
    if (product.exit_code != kExitDone) return product.exit_code;
    return print_status(store, product.id);
  }
  auto ids = store.product_ids();
  if (!ids) return redis_error(ids.error());
  for (auto id : *ids) {
    if (int code = print_status(store, id); code != kExitDone) return code;
  }
  auto queued = store.queue_length();
  if (!queued) return redis_error(queued.error());
  std::cout << ids->size() << " products, " << *queued << " requests queued\n";
  return kExitDone;
}

int run_audit(AdminStore& store, const std::string& orders_db) {
  auto ids = store.product_ids();
  if (!ids) return redis_error(ids.error());
  std::optional<RecordStore> record;
  if (!orders_db.empty()) record.emplace(orders_db);
  std::size_t breaches = 0;
  for (auto id : *ids) {
    auto data = store.audit_data(id);
    if (!data) return redis_error(data.error());
    breaches += print_audit(audit_product(*data));
    if (!record) continue;
    auto stored = record->product(id, data->stream_key);
    if (!stored) {
      std::cerr << "seckill-admin: postgresql: " << stored.error().message << "\n";
      return kExitUnreachable;
    }
    breaches += print_audit(audit_record(*data, *stored));
  }
  std::cout << "audit: " << ids->size() << " products, " << breaches << " breaches\n";
  return breaches == 0 ? kExitDone : kExitRefused;
}

int run_reset(AdminStore& store, const std::vector<std::string>& args, bool force) {
  if (args.size() != 2) return usage_error("reset takes one PRODUCT");
  const KnownProduct product = known_product(store, "reset", args[1]);
  if (product.exit_code != kExitDone) return product.exit_code;
  auto status = store.status(product.id);
  if (!status) return redis_error(status.error());
  const std::string deletes = std::to_string(status->sold) + " orders of " +
                              std::to_string(status->buyers) +
                              " buyers (their records, payments and remembered decisions)";
  if (status->sold > 0 && !force) {
    std::cerr << "seckill-admin: reset: product " << product.id << " has " << deletes
              << "; a reset deletes them and refills the stock. Nothing was changed: run again "
                 "with --force to reset.\n";
    return kExitUsage;
  }
  auto left = store.reset(product.id);
  if (!left) return redis_error(left.error());
  std::cout << "product " << product.id << " reset: deleted " << deletes << ", left " << *left
            << "\n";
  return kExitDone;
}

// pause, resume, add-stock, set-window: live changes every proxy and logic process picks up
// within a second; a later load keeps them (load_product.lua).
int run_control(AdminStore& store, const std::vector<std::string>& args) {
  const std::string& command = args[0];
  const std::size_t expected = command == "add-stock" ? 3 : command == "set-window" ? 4 : 2;
  if (args.size() != expected) return usage_error(command + ": wrong number of arguments");
  std::optional<std::int64_t> start, end, units;
  if (command == "set-window") {
    start = parse_time_text(args[2]);
    end = parse_time_text(args[3]);
    if (!start || !end) return usage_error("set-window: START and END must be ISO-8601 or ms");
    if (*end <= *start) return usage_error("set-window: END must be after START");
  } else if (command == "add-stock") {
    units = parse_id(args[2]);
    if (!units) {
      return usage_error("add-stock: N must be a positive number of units, not \"" + args[2] +
                         "\" (add-stock only adds)");
    }
  }
  const KnownProduct product = known_product(store, command, args[1]);
  if (product.exit_code != kExitDone) return product.exit_code;
  Status done = Done{};
  if (command == "pause" || command == "resume") {
    done = store.set_enabled(product.id, command == "resume");
  } else if (command == "set-window") {
    done = store.set_window(product.id, *start, *end);
  } else {
    auto left = store.add_stock(product.id, *units);
    if (!left) return redis_error(left.error());
    std::cout << "product " << product.id << ": added " << *units << ", left " << *left << "\n";
    return kExitDone;
  }
  if (!done) return redis_error(done.error());
  std::cout << "product " << product.id << ": " << command << " done\n";
  return kExitDone;
}

// block, unblock: every proxy picks a change up within a second.
int run_block(AdminStore& store, const std::vector<std::string>& args, std::int64_t ttl_s) {
  const std::string& command = args[0];
  if (args.size() != 3 || (args[1] != "user" && args[1] != "ip")) {
    return usage_error(command + " takes user|ip VALUE");
  }
  const std::string& kind = args[1];
  const std::string& value = args[2];
  if (kind == "user" && !parse_id(value)) {
    return usage_error(command + ": a user is an id in 1..2^63-1");
  }
  if (kind == "ip" && !AddressRange::parse(value)) {
    return usage_error(command + ": not an address or CIDR range: " + value);
  }
  if (command == "unblock") {
    auto found = store.unblock(kind, value);
    if (!found) return redis_error(found.error());
    std::cout << kind << " " << value << (found->was_blocked ? " unblocked" : " was not blocked")
              << (found->was_banned ? "; its temporary ban is lifted on every proxy within a second"
                                    : "")
              << "\n";
    return kExitDone;
  }
  if (ttl_s < 0) return usage_error("--ttl: must be >= 0");
  const std::int64_t expiry = ttl_s == 0 ? 0 : unix_ms_now() + ttl_s * 1000;
  if (auto done = store.block(kind, value, expiry); !done) return redis_error(done.error());
  std::cout << kind << " " << value << " blocked"
            << (expiry == 0 ? std::string(" until unblocked")
                            : " until " + format_iso8601_ms(expiry))
            << "\n";
  return kExitDone;
}

int run_blocklist(AdminStore& store) {
  const std::int64_t now = unix_ms_now();
  std::size_t listed = 0;
  for (const char* kind : {"user", "ip"}) {
    auto entries = store.blocklist(kind);
    if (!entries) return redis_error(entries.error());
    for (const auto& [value, expiry] : *entries) {
      if (expiry != 0 && expiry <= now) continue;  // expired: the proxies ignore it too
      ++listed;
      std::cout << kind << " " << value << " "
                << (expiry == 0 ? std::string("until unblocked")
                                : "until " + format_iso8601_ms(expiry))
                << "\n";
    }
  }
  if (listed == 0) std::cout << "nothing is blocked\n";
  return kExitDone;
}

int run_bans(AdminStore& store) {
  auto bans = store.bans();
  if (!bans) return redis_error(bans.error());
  const std::int64_t now = unix_ms_now();
  for (const AdminStore::Ban& ban : *bans) {
    const std::int64_t seconds_left = (ban.until_ms - now + 999) / 1000;
    std::cout << ban.kind << " " << ban.value << " banned until " << format_iso8601_ms(ban.until_ms)
              << " (" << seconds_left << " s left)\n";
  }
  if (bans->empty()) std::cout << "nobody is banned\n";
  return kExitDone;
}

}  // namespace seckill::admin
