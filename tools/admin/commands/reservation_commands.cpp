#include "tools/admin/commands/reservation_commands.hpp"

#include <algorithm>
#include <iostream>

#include <hiredis/hiredis.h>

#include "common/reservation/reservation_book.hpp"
#include "common/reservation/reservation_draw.hpp"
#include "common/store/redis_keys.hpp"
#include "tools/admin/exit_codes.hpp"

namespace seckill::admin {
namespace {

struct ProductPlace {
  ProductId id = 0;
  keys::GroupId group = 0;
  int exit_code = kExitDone;
};

ProductPlace place_of(AdminStore& store, const std::string& text, const std::string& command) {
  ProductPlace place;
  auto id = parse_id(text);
  if (!id) {
    place.exit_code = usage_error(command + ": PRODUCT must be a product id, not " + text);
    return place;
  }
  place.id = *id;
  auto listed = store.listed_group(*id);
  if (!listed) {
    place.exit_code = redis_error(listed.error());
  } else if (!*listed) {
    std::cerr << "seckill-admin: " << command << ": unknown product " << *id << "\n";
    place.exit_code = kExitUnknownProduct;
  } else {
    place.group = **listed;
  }
  return place;
}

// Every member of a set, a page at a time (a list can hold millions).
Result<std::vector<std::string>> members_of(RedisClient& redis, const std::string& key) {
  std::vector<std::string> members;
  std::string cursor = "0";
  do {
    auto page = redis.command({"SSCAN", key, cursor, "COUNT", "1000"});
    if (!page) return page.error();
    if (page->is_error() || !page->is_array() || page->size() != 2) {
      return Error{"SSCAN " + key + ": " + std::string(page->str())};
    }
    cursor = reply_str(page->element(0));
    const redisReply* items = page->element(1);
    for (std::size_t i = 0; i < items->elements; ++i)
      members.emplace_back(reply_str(items->element[i]));
  } while (cursor != "0");
  return members;
}

}  // namespace

int run_draw(RedisClient& redis, AdminStore& store, const std::string& product,
             const std::string& seed) {
  if (!seed.empty() && !valid_draw_seed(seed)) {
    return usage_error("draw: --seed must be 16..64 lowercase hex digits");
  }
  const ProductPlace place = place_of(store, product, "draw");
  if (place.exit_code != kExitDone) return place.exit_code;
  ReservationBook book(redis);
  auto outcome = book.draw(place.group, place.id, seed);
  if (!outcome) return redis_error(outcome.error());
  std::cout << "product " << place.id << ": " << outcome->outcome;
  if (outcome->outcome == "drawn" || outcome->outcome == "already") {
    std::cout << ", " << outcome->winners << " drawn of " << outcome->listed << " listed";
  }
  std::cout << "\n";
  return outcome->outcome == "drawn" || outcome->outcome == "already" ? kExitDone : kExitRefused;
}

int run_verify_draw(RedisClient& redis, AdminStore& store, const std::string& product) {
  const ProductPlace place = place_of(store, product, "verify-draw");
  if (place.exit_code != kExitDone) return place.exit_code;
  auto fields = redis.command(
      {"HMGET", keys::product(place.group, place.id), "reservation_draw", "draw_seed"});
  if (!fields) return redis_error(fields.error());
  if (!fields->is_array() || fields->size() != 2) {
    return redis_error(Error{"HMGET: " + std::string(fields->str())});
  }
  const std::string seed(reply_str(fields->element(1)));
  if (seed.empty()) {
    std::cout << "product " << place.id << ": no draw made\n";
    return kExitRefused;
  }
  const std::int64_t winners = parse_id(reply_str(fields->element(0))).value_or(0);
  auto listed = members_of(redis, keys::reserved(place.group, place.id));
  if (!listed) return redis_error(listed.error());
  auto drawn = members_of(redis, keys::drawn(place.group, place.id));
  if (!drawn) return redis_error(drawn.error());
  std::vector<std::string> expected = draw_winners(*listed, seed, winners);
  std::sort(expected.begin(), expected.end());
  std::sort(drawn->begin(), drawn->end());
  std::cout << "product " << place.id << ": seed " << seed << ", " << listed->size() << " listed, "
            << drawn->size() << " drawn";
  if (expected != *drawn) {
    std::vector<std::string> missing, extra;
    std::set_difference(expected.begin(), expected.end(), drawn->begin(), drawn->end(),
                        std::back_inserter(missing));
    std::set_difference(drawn->begin(), drawn->end(), expected.begin(), expected.end(),
                        std::back_inserter(extra));
    std::cout << ": MISMATCH, " << missing.size() << " the seed picks were not drawn, "
              << extra.size() << " drawn the seed does not pick\n";
    return kExitRefused;
  }
  std::cout << ": verified, the seed picks exactly the users drawn\n";
  return kExitDone;
}

}  // namespace seckill::admin
