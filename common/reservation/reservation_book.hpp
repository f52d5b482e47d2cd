// ReservationBook: a product's reservation list in Redis, each step one atomic script in the
// product's group (common/reservation/*.lua): a user reserving, a user looking, the draw. Used
// by the proxy (/reserve), the logic tier's drawer and seckill-admin.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/base/ids.hpp"
#include "common/base/result.hpp"
#include "common/base/status.hpp"
#include "common/redis/redis_client.hpp"
#include "common/redis/redis_config.hpp"
#include "common/store/lua_script.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill {

/// Where one user stands on a product's reservation list.
struct ReservationStatus {
  /// kOk; kNotStarted / kEnded for a reservation made outside its window; kNotFound for a
  /// product without a reservation.
  Code code = Code::kOk;
  bool reserved = false;
  /// Whether the draw picked the user; nullopt while no draw has been made (or there is none).
  std::optional<bool> drawn;
  std::int64_t listed = 0;  // users on the list
  /// With redis.ack_replicas: false when WAIT did not confirm a new reservation reached the
  /// replicas (it may be there; reserving again is harmless).
  bool confirmed = true;
};

/// What one run of the draw did.
struct DrawOutcome {
  ProductId product_id = 0;
  std::string outcome;  // drawn, already, not_closed, no_draw, unknown
  std::int64_t winners = 0;
  std::int64_t listed = 0;
};

class ReservationBook {
 public:
  explicit ReservationBook(RedisClient& redis, const RedisConfig& config = {});

  /// Puts `user` on the list of `product` (in `group`) if its reservation is open.
  Result<ReservationStatus> reserve(keys::GroupId group, ProductId product, UserId user);
  /// Where `user` stands, changing nothing.
  Result<ReservationStatus> status(keys::GroupId group, ProductId product, UserId user);

  /// Makes the group's next draw that is due, with a fresh seed; nullopt when none is due.
  Result<std::optional<DrawOutcome>> draw_next_due(keys::GroupId group);
  /// Makes the draw of `product` now if its reservation has closed and it was not made, with
  /// `seed` (valid_draw_seed) or a fresh one.
  Result<DrawOutcome> draw(keys::GroupId group, ProductId product, const std::string& seed = "");

 private:
  Result<ReservationStatus> run_reserve(keys::GroupId group, ProductId product, UserId user,
                                        bool add);
  Result<std::optional<DrawOutcome>> run_draw(keys::GroupId group, const std::string& product,
                                              const std::string& seed);

  RedisClient& redis_;
  int ack_replicas_ = 0;
  std::chrono::milliseconds wait_timeout_{};
  LuaScript reserve_script_;
  LuaScript draw_script_;
};

}  // namespace seckill
