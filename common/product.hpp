// Product: one item on sale, as `config/products.json` describes it and Redis stores it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/ids.hpp"

namespace seckill {

/// The largest count of units a product may have: the decision scripts compute in Lua numbers
/// (doubles), which hold every integer exactly only up to 2^53; past it `left` would stop
/// moving and Redis would store "1e+17". Larger totals are refused, never rounded.
inline constexpr std::int64_t kMaxExactUnits = (std::int64_t{1} << 53) - 1;
/// Most leading zero bits a challenge's proof of work may ask for.
inline constexpr int kMaxPowBits = 24;
/// Most winners a reservation draw may pick (the draw sorts every listed user in one script).
inline constexpr std::int64_t kMaxDrawWinners = 10'000'000;
/// The highest group a product may be pinned to (keys::kMaxGroups - 1).
inline constexpr int kMaxProductGroup = 1023;

struct Product {
  ProductId id = 0;
  std::string name;
  std::int64_t total = 0;
  std::int64_t start_ms = 0;  // Unix ms; the sale is open for start_ms <= now < end_ms
  std::int64_t end_ms = 0;
  std::int64_t per_user_limit = 1;
  std::int64_t max_per_second = 0;  // 0: no cap
  double buy_rate = 1.0;
  bool enabled = true;
  /// The price, in the currency's minor units (cents), and the currency (ISO 4217: "CNY").
  std::int64_t price = 0;
  std::string currency = "CNY";
  /// What the sale page shows besides the name: a description (plain text) and a picture (an
  /// https:// address, or a path on the proxy's own site such as /img/phone.png). Optional.
  std::string description;
  std::string image_url;
  /// Seconds a buyer has to pay an order before it expires and its unit goes back on sale; 0:
  /// no payment step, orders are final when bought.
  std::int64_t pay_within_s = 900;
  /// Whether a buyer whose order expired (or was cancelled) may buy the product again; by
  /// default that order has used the buyer's turn.
  bool rebuy_after_expiry = false;
  /// Whether a purchase must carry the product's challenge (GET /challenge), which is handed
  /// out only from `challenge_lead_ms` before the start: a script that fires before the start
  /// has nothing to send. With `pow_bits` > 0 the challenge is also a proof-of-work puzzle.
  bool challenge = false;
  int pow_bits = 0;
  std::int64_t challenge_lead_ms = 0;
  /// A reservation (预约) the sale requires, when `reservation_closes_ms` > 0: users put
  /// themselves on the product's list (POST /reserve) from `reservation_opens_ms` until
  /// `reservation_closes_ms` (at the latest the start), and only listed users may buy. With
  /// `reservation_draw` N > 0, N of them are drawn at the close (common/reservation) and only
  /// those may buy.
  std::int64_t reservation_opens_ms = 0;
  std::int64_t reservation_closes_ms = 0;
  std::int64_t reservation_draw = 0;
  /// The group the product's keys live in (common/store/redis_keys.hpp), when pinned: a hot product
  /// gets a group of its own, and so a master of its own. Unpinned: a hash of the id.
  std::optional<int> group;
};

/// Parses "2026-11-22T20:00:00+08:00", "...Z", fractional seconds allowed, into Unix ms.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

/// Parses a time given on a command line: ISO-8601 with offset, or Unix ms.
std::optional<std::int64_t> parse_time_text(std::string_view text);

/// Formats Unix ms as ISO-8601 UTC ("2026-11-22T12:00:00.000Z").
std::string format_iso8601_ms(std::int64_t unix_ms);

/// Reads and validates a products file ({"products":[...]}). Throws ConfigError naming the
/// product and field on any problem: bad type, negative total, end before start, duplicate id,
/// unknown field.
std::vector<Product> load_products_file(const std::string& file);
std::vector<Product> parse_products(const std::string& json_text, const std::string& what);

}  // namespace seckill
