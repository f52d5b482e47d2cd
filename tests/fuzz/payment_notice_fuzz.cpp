// libFuzzer target: the payment callback's body, signed as a provider would sign it, so that
// every input reaches the JSON reading behind the signature check. It must be read or refused
// with a 4000, never crash; what is read must pass the same checks again.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proxy/payments/payment_notice.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using seckill::proxy::read_payment_notice;
  constexpr std::string_view kSecret = "fuzz-secret";
  constexpr std::int64_t kNow = 1796000000;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const std::string timestamp = std::to_string(kNow);
  const std::string signature = seckill::proxy::sign_payment_notice(kSecret, timestamp, body);
  auto read =
      read_payment_notice(kSecret, std::chrono::seconds(300), {signature, timestamp}, body, kNow);
  if (auto* refused = std::get_if<seckill::proxy::ApiAnswer>(&read)) {
    if (refused->code != seckill::Code::kBadRequest) std::abort();  // the signature was right
    return 0;
  }
  const auto& payment = std::get<seckill::Payment>(read);
  if (!seckill::product_of_order(payment.order_id) || !seckill::is_payment_id(payment.payment_id) ||
      payment.amount < 0 || payment.currency.size() != 3) {
    std::abort();
  }
  // A forged signature over the same body is always refused.
  std::string forged = signature;
  forged[0] = forged[0] == '0' ? '1' : '0';
  auto again =
      read_payment_notice(kSecret, std::chrono::seconds(300), {forged, timestamp}, body, kNow);
  if (!std::holds_alternative<seckill::proxy::ApiAnswer>(again)) std::abort();
  return 0;
}
