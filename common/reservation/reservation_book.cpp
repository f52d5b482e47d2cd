#include "common/reservation/reservation_book.hpp"

#include "common/reservation/reservation_draw.hpp"

namespace seckill {

extern const std::string_view kReserveScript;
extern const std::string_view kDrawScript;

ReservationBook::ReservationBook(RedisClient& redis, const RedisConfig& config)
    : redis_(redis),
      ack_replicas_(config.ack_replicas),
      wait_timeout_(config.wait_timeout),
      reserve_script_(kReserveScript),
      draw_script_(kDrawScript) {}

Result<ReservationStatus> ReservationBook::reserve(keys::GroupId group, ProductId product,
                                                   UserId user) {
  return run_reserve(group, product, user, true);
}

Result<ReservationStatus> ReservationBook::status(keys::GroupId group, ProductId product,
                                                  UserId user) {
  return run_reserve(group, product, user, false);
}

Result<ReservationStatus> ReservationBook::run_reserve(keys::GroupId group, ProductId product,
                                                       UserId user, bool add) {
  const std::string product_key = keys::product(group, product);
  auto reply = reserve_script_.run(
      redis_, {.keys = {product_key, keys::reserved(group, product), keys::drawn(group, product)},
               .args = {std::to_string(user), add ? "1" : "0"}});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (!reply->is_array() || reply->size() != 4) return Error{"unexpected reply from reserve.lua"};
  ReservationStatus status;
  status.code = code_from_int(reply_integer(reply->element(0))).value_or(Code::kUnavailable);
  status.reserved = reply_integer(reply->element(1)) == 1;
  const long long drawn = reply_integer(reply->element(2));
  if (drawn >= 0) status.drawn = drawn == 1;
  status.listed = reply_integer(reply->element(3));
  if (add && status.code == Code::kOk && ack_replicas_ > 0) {
    // On the master that ran the script (a keyless WAIT follows the key's node).
    auto acked = redis_.command_beside(product_key, {"WAIT", std::to_string(ack_replicas_),
                                                     std::to_string(wait_timeout_.count())});
    status.confirmed = acked && acked->is_integer() && acked->integer() >= ack_replicas_;
  }
  return status;
}

Result<std::optional<DrawOutcome>> ReservationBook::draw_next_due(keys::GroupId group) {
  return run_draw(group, "", new_draw_seed());
}

Result<DrawOutcome> ReservationBook::draw(keys::GroupId group, ProductId product,
                                          const std::string& seed) {
  if (!seed.empty() && !valid_draw_seed(seed)) {
    return Error{"the seed must be 16..64 lowercase hex digits"};
  }
  auto outcome = run_draw(group, std::to_string(product), seed.empty() ? new_draw_seed() : seed);
  if (!outcome) return outcome.error();
  if (!*outcome) return Error{"unexpected empty reply from draw.lua"};
  return **outcome;
}

Result<std::optional<DrawOutcome>> ReservationBook::run_draw(keys::GroupId group,
                                                             const std::string& product,
                                                             const std::string& seed) {
  auto reply =
      draw_script_.run(redis_, {.keys = {keys::pending_draws(group)}, .args = {seed, product}});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (!reply->is_array()) return Error{"unexpected reply from draw.lua"};
  if (reply->size() == 0) return std::optional<DrawOutcome>{};
  if (reply->size() != 4) return Error{"unexpected reply from draw.lua"};
  DrawOutcome outcome;
  outcome.product_id = parse_id(reply_str(reply->element(0))).value_or(0);
  outcome.outcome = reply_str(reply->element(1));
  outcome.winners = reply_integer(reply->element(2));
  outcome.listed = reply_integer(reply->element(3));
  // No WAIT: replication keeps the master's order, so a decision confirmed by the replicas
  // (redis.ack_replicas) implies the draw it relied on reached them too; a draw lost with its
  // master before any such decision is made again by the drawer, with a new seed.
  return std::optional<DrawOutcome>{outcome};
}

}  // namespace seckill
