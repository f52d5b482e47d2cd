#include "proxy/payments/payment_notice.hpp"

#include <algorithm>
#include <array>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/document.h>

namespace seckill::proxy {
namespace {

constexpr std::size_t kSignatureLength = 64;  // hex of a SHA-256 digest

ApiAnswer bad_request(std::string message) {
  return ApiAnswer::of(Code::kBadRequest, std::move(message));
}

bool is_currency(std::string_view text) {
  return text.size() == 3 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::optional<std::int64_t> unix_seconds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string sign_payment_notice(std::string_view secret, std::string_view timestamp,
                                std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message.append(timestamp).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

std::variant<Payment, ApiAnswer> read_payment_notice(std::string_view secret,
                                                     std::chrono::seconds window,
                                                     const NoticeHeaders& headers,
                                                     std::string_view body,
                                                     std::int64_t now_unix_s) {
  // The signature first: nothing of an unsigned body is read, or even parsed.
  const auto timestamp = unix_seconds(headers.timestamp);
  if (!timestamp) {
    return ApiAnswer::of(Code::kBadToken,
                         std::string(kTimestampHeader) + ": missing or not Unix seconds");
  }
  if (headers.signature.size() != kSignatureLength) {
    return ApiAnswer::of(Code::kBadToken, std::string(kSignatureHeader) + ": missing or malformed");
  }
  std::array<char, kSignatureLength> given{};
  std::transform(headers.signature.begin(), headers.signature.end(), given.begin(), [](char c) {
    return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const std::string expected = sign_payment_notice(secret, headers.timestamp, body);
  if (CRYPTO_memcmp(expected.data(), given.data(), kSignatureLength) != 0) {
    return ApiAnswer::of(Code::kBadToken, "bad signature");
  }
  if (*timestamp > now_unix_s + window.count() || *timestamp < now_unix_s - window.count()) {
    return ApiAnswer::of(Code::kBadToken,
                         std::string(kTimestampHeader) + ": outside the replay window");
  }

  rapidjson::Document document;
  // Iterative: a deeply nested body cannot exhaust the stack.
  document.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (document.HasParseError() || !document.IsObject()) {
    return bad_request("body: must be a JSON object");
  }
  auto string_field = [&](const char* name) -> std::optional<std::string_view> {
    auto it = document.FindMember(name);
    if (it == document.MemberEnd() || !it->value.IsString()) return std::nullopt;
    return std::string_view(it->value.GetString(), it->value.GetStringLength());
  };
  Payment payment;
  auto order_id = string_field("order_id");
  if (!order_id || !product_of_order(*order_id)) {
    return bad_request("order_id: must be an order id such as 42-17");
  }
  payment.order_id = *order_id;
  auto payment_id = string_field("payment_id");
  if (!payment_id || !is_payment_id(*payment_id)) {
    return bad_request("payment_id: must be 1-64 letters, digits, - _ . :");
  }
  payment.payment_id = *payment_id;
  auto amount = document.FindMember("amount");
  if (amount == document.MemberEnd() || !amount->value.IsInt64() || amount->value.GetInt64() < 0) {
    return bad_request("amount: must be an integer of minor units, >= 0");
  }
  payment.amount = amount->value.GetInt64();
  auto currency = string_field("currency");
  if (!currency || !is_currency(*currency)) {
    return bad_request("currency: must be three capital letters (ISO 4217)");
  }
  payment.currency = *currency;
  return payment;
}

ApiAnswer answer_for_payment(const Payment& payment, const OrderOutcome& outcome) {
  if (outcome.outcome == "unknown_order") return ApiAnswer::of(Code::kNotFound, "unknown order");
  if (outcome.outcome == "mismatch") {
    // "amount 1999" or "currency CNY": the field, then what the order expects.
    const std::string field = outcome.detail.substr(0, outcome.detail.find(' '));
    return bad_request(field + ": does not match the order (" + outcome.detail + ")");
  }
  if (outcome.outcome == "payment_reused") {
    return bad_request("payment_id: already used for order " + outcome.detail);
  }
  std::string message = outcome.outcome == "paid"        ? "paid"
                        : outcome.outcome == "duplicate" ? "payment already recorded"
                                                         : "the order cannot take this payment: "
                                                           "recorded as a refund due";
  ApiAnswer answer = ApiAnswer::of(Code::kOk, std::move(message))
                         .with_string("order_id", payment.order_id)
                         .with_string("payment_id", payment.payment_id)
                         .with_string("outcome", outcome.outcome)
                         .with_string("state", outcome.state);
  return answer;
}

}  // namespace seckill::proxy
