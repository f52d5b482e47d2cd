// The payment provider's callback, POST /payments/notify (README, HTTP API: payments).
//
// The provider signs each callback: header X-Seckill-Timestamp carries Unix seconds, header
// X-Seckill-Signature the lowercase hex of HMAC-SHA256(payments.secret, timestamp + "." + raw
// body). The timestamp is inside the signature, so a replay cannot be given a fresh one; one
// further than payments.window from now is refused. The body is JSON:
// {"order_id":"42-17","payment_id":"...","amount":1999,"currency":"CNY"}; other fields are
// ignored. Checking needs no Redis: a forged or stale callback costs one HMAC.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/orders/order_actions.hpp"
#include "proxy/api/api_answer.hpp"

namespace seckill::proxy {

inline constexpr std::string_view kSignatureHeader = "X-Seckill-Signature";
inline constexpr std::string_view kTimestampHeader = "X-Seckill-Timestamp";

/// The signature of a callback body sent at `timestamp` (the header's text).
std::string sign_payment_notice(std::string_view secret, std::string_view timestamp,
                                std::string_view body);

struct NoticeHeaders {
  std::string_view signature;
  std::string_view timestamp;
};

/// The payment a callback carries, or the answer that refuses it: 4001 for a missing or bad
/// signature or a timestamp outside the window, 4000 naming the field for a malformed body.
std::variant<Payment, ApiAnswer> read_payment_notice(std::string_view secret,
                                                     std::chrono::seconds window,
                                                     const NoticeHeaders& headers,
                                                     std::string_view body,
                                                     std::int64_t now_unix_s);

/// The provider's answer for what became of a payment. 0 whenever the callback was taken in:
/// data.outcome says paid, duplicate (seen before: nothing changed) or refund_due (the order
/// could not take it; recorded for a refund), so the provider stops resending it. A mismatch
/// is 4000 naming the field, an unknown order 4004.
ApiAnswer answer_for_payment(const Payment& payment, const OrderOutcome& outcome);

}  // namespace seckill::proxy
