#include "common/product.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <set>

#include "common/program/config_reader.hpp"

namespace seckill {
namespace {

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// A time value: ISO-8601 string or Unix ms integer.
std::int64_t read_time(ConfigReader& reader, const char* key) {
  const rapidjson::Value& value = reader.take(key);
  if (value.IsInt64() && value.GetInt64() >= 0) return value.GetInt64();
  if (value.IsString()) {
    if (auto ms = parse_iso8601_ms(value.GetString())) return *ms;
  }
  throw ConfigError(reader.name(key) +
                    ": must be ISO-8601 with offset (2026-11-22T20:00:00+08:00) or Unix ms");
}

constexpr std::size_t kMaxDescriptionBytes = 4096;

// An address the sale page may put in an <img src>: https (the page's policy allows no other
// scheme) or a path on the proxy's own site; nothing that could break out of the attribute.
bool valid_image_url(const std::string& url) {
  if (url.size() > 2048) return false;
  const bool https = url.starts_with("https://") && url.size() > 8;
  const bool local = url.starts_with("/") && !url.starts_with("//");
  if (!https && !local) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
           c == '\\';
  });
}

// "reservation": {"opens": time, "closes": time, "draw": winners (optional)}.
void read_reservation(ConfigReader& product_reader, Product& product) {
  if (!product_reader.take("reservation").IsObject()) {
    throw ConfigError(product_reader.name("reservation") +
                      ": must be an object {\"opens\", \"closes\", \"draw\"}");
  }
  ConfigReader reader = product_reader.object("reservation");
  product.reservation_opens_ms = read_time(reader, "opens");
  product.reservation_closes_ms = read_time(reader, "closes");
  reader.read_int("draw", product.reservation_draw, 0, kMaxDrawWinners);
  reader.finish();
  if (product.reservation_closes_ms <= product.reservation_opens_ms) {
    throw ConfigError(reader.name("closes") + ": must be after opens");
  }
  // The list, and the draw, must be final before the first purchase is decided.
  if (product.reservation_closes_ms > product.start_ms) {
    throw ConfigError(reader.name("closes") + ": must be at the latest the sale's start");
  }
}

Product read_product(ConfigReader reader) {
  Product product;
  const rapidjson::Value& id = reader.take("id");
  if (!id.IsInt64() || id.GetInt64() < 1) {
    throw ConfigError(reader.name("id") + ": must be an integer in 1..2^63-1");
  }
  product.id = id.GetInt64();
  reader.read_string("name", product.name, false);
  if (!reader.has("name")) throw ConfigError(reader.name("name") + ": is required");
  if (!reader.has("total")) throw ConfigError(reader.name("total") + ": is required");
  reader.read_int("total", product.total, 0, kMaxExactUnits);
  product.start_ms = read_time(reader, "start");
  product.end_ms = read_time(reader, "end");
  if (product.end_ms <= product.start_ms) {
    throw ConfigError(reader.name("end") + ": must be after start");
  }
  reader.read_int("per_user_limit", product.per_user_limit, 1, 1000000);
  reader.read_int("max_per_second", product.max_per_second, 0, kMaxExactUnits);
  reader.read_double("buy_rate", product.buy_rate, 0.0, 1.0);
  reader.read_bool("enabled", product.enabled);
  reader.read_int("price", product.price, 0, kMaxExactUnits);
  reader.read_string("currency", product.currency, false);
  if (product.currency.size() != 3 || !std::all_of(product.currency.begin(), product.currency.end(),
                                                   [](char c) { return c >= 'A' && c <= 'Z'; })) {
    throw ConfigError(reader.name("currency") + ": must be three capital letters (ISO 4217)");
  }
  reader.read_string("description", product.description);
  if (product.description.size() > kMaxDescriptionBytes) {
    throw ConfigError(reader.name("description") + ": at most " +
                      std::to_string(kMaxDescriptionBytes) + " bytes");
  }
  reader.read_string("image_url", product.image_url);
  if (!product.image_url.empty() && !valid_image_url(product.image_url)) {
    throw ConfigError(reader.name("image_url") +
                      ": must be an https:// address or a path starting with /, without spaces, "
                      "quotes or angle brackets, at most 2048 bytes");
  }
  // Up to 30 days: a pending order holds its unit the whole time.
  reader.read_int("pay_within_s", product.pay_within_s, 0, 30 * 24 * 3600);
  reader.read_bool("rebuy_after_expiry", product.rebuy_after_expiry);
  reader.read_bool("challenge", product.challenge);
  // 24 bits is about 16 million hashes: seconds in a browser, the most a buyer should wait.
  reader.read_int("pow_bits", product.pow_bits, 0, kMaxPowBits);
  reader.read_int("challenge_lead_ms", product.challenge_lead_ms, 0, 3'600'000);
  if (!product.challenge && (product.pow_bits > 0 || product.challenge_lead_ms > 0)) {
    throw ConfigError(reader.name(product.pow_bits > 0 ? "pow_bits" : "challenge_lead_ms") +
                      ": needs \"challenge\": true");
  }
  if (reader.has("reservation")) read_reservation(reader, product);
  if (reader.has("group")) {
    int group = 0;
    reader.read_int("group", group, 0, kMaxProductGroup);
    product.group = group;
  }
  reader.finish();
  return product;
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  auto year = digits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  auto month = digits(text, pos, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  auto day = digits(text, pos, 2);
  if (!day || !(expect(text, pos, 'T') || expect(text, pos, ' '))) return std::nullopt;
  auto hour = digits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  auto minute = digits(text, pos, 2);
  if (!minute || !expect(text, pos, ':')) return std::nullopt;
  auto second = digits(text, pos, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::int64_t millis = 0;
  if (expect(text, pos, '.')) {
    int scale = 100;
    std::size_t first = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first) return std::nullopt;
  }
  std::int64_t offset_minutes = 0;
  if (!expect(text, pos, 'Z')) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto off_hour = digits(text, pos, 2);
    if (!off_hour || !expect(text, pos, ':')) return std::nullopt;
    auto off_minute = digits(text, pos, 2);
    if (!off_minute || *off_hour > 23 || *off_minute > 59) return std::nullopt;
    offset_minutes = sign * (*off_hour * 60 + *off_minute);
  }
  if (pos != text.size()) return std::nullopt;
  year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                      std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  auto days_since_epoch = sys_days(date).time_since_epoch().count();
  std::int64_t seconds =
      days_since_epoch * 86400LL + *hour * 3600LL + *minute * 60LL + *second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::optional<std::int64_t> parse_time_text(std::string_view text) {
  if (auto ms = parse_iso8601_ms(text)) return ms;
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string format_iso8601_ms(std::int64_t unix_ms) {
  using namespace std::chrono;
  auto ms = sys_time<milliseconds>(milliseconds(unix_ms));
  auto day_point = floor<days>(ms);
  year_month_day date(day_point);
  hh_mm_ss time(ms - day_point);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return buffer;
}

std::vector<Product> parse_products(const std::string& json_text, const std::string& what) {
  rapidjson::Document document = parse_json_text(json_text, what);
  ConfigReader top(document, "");
  const rapidjson::Value& list = top.take("products");
  top.finish();
  if (!list.IsArray()) throw ConfigError("products: must be an array");
  std::vector<Product> products;
  std::set<ProductId> ids;
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    Product product = read_product(ConfigReader(list[i], "products[" + std::to_string(i) + "]"));
    if (!ids.insert(product.id).second) {
      throw ConfigError("products[" + std::to_string(i) + "].id: duplicate id " +
                        std::to_string(product.id));
    }
    products.push_back(std::move(product));
  }
  return products;
}

std::vector<Product> load_products_file(const std::string& file) {
  return parse_products(read_text_file(file), file);
}

}  // namespace seckill
