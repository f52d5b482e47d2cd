// The answer codes of the public API (README, HTTP API) and how each maps onto HTTP.
//
// One table, used by the proxy for every response and by the logic script's callers, so a code
// can never mean two things in two places.
#pragma once

#include <optional>
#include <string_view>

namespace seckill {

enum class Code : int {
  kPurchased = 0,
  kOk = 0,  // success of a request that buys nothing (/secinfo, /healthz, /result)
  kSoldOut = 1001,
  kLimitReached = 1002,
  kNotStarted = 1003,
  kEnded = 1004,
  kTryLater = 1005,
  kNoOrder = 1006,
  kPaused = 1007,
  kNotOnList = 1008,  // a sale with a reservation: the user did not reserve, or was not drawn
  kBadRequest = 4000,
  kBadToken = 4001,
  kBlocked = 4003,
  kNotFound = 4004,
  kChallengeFailed = 4005,  // a product's challenge missing, wrong or another user's
  kRateLimited = 4029,
  kUnavailable = 5003,
  kTimeout = 5004,
};

/// HTTP status code that carries `code` (200 for every business outcome).
int http_status(Code code);

/// Short human-readable default message for `code`.
std::string_view default_message(Code code);

/// The Code for a number read off the wire, or nullopt for a number we do not know.
std::optional<Code> code_from_int(long long value);

}  // namespace seckill
