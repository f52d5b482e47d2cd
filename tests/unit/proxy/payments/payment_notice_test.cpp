#include "proxy/payments/payment_notice.hpp"

#include <cctype>

#include <gtest/gtest.h>

namespace seckill::proxy {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kSecret = "provider-secret";
constexpr std::int64_t kNow = 1796000000;
const std::string kBody =
    R"({"order_id":"42-17","payment_id":"pay_1","amount":1999,"currency":"CNY","extra":[1]})";

std::variant<Payment, ApiAnswer> read(std::string_view body, std::int64_t sent_at = kNow,
                                      std::string_view secret = kSecret) {
  const std::string timestamp = std::to_string(sent_at);
  const std::string signature = sign_payment_notice(secret, timestamp, body);
  return read_payment_notice(kSecret, 300s, {signature, timestamp}, body, kNow);
}

std::string refusal(const std::variant<Payment, ApiAnswer>& read) {
  const auto* answer = std::get_if<ApiAnswer>(&read);
  return answer == nullptr ? "accepted"
                           : std::to_string(static_cast<int>(answer->code)) + " " + answer->message;
}

TEST(PaymentNotice, ASignedCallbackCarriesItsPayment) {
  auto got = read(kBody);
  ASSERT_TRUE(std::holds_alternative<Payment>(got)) << refusal(got);
  const Payment& payment = std::get<Payment>(got);
  EXPECT_EQ(payment.order_id, "42-17");
  EXPECT_EQ(payment.payment_id, "pay_1");
  EXPECT_EQ(payment.amount, 1999);
  EXPECT_EQ(payment.currency, "CNY");
}

// The signature is HMAC-SHA256 over "<timestamp>.<body>", in lowercase hex: the vector comes
// from another implementation, `printf '%s' '1796000000.{}' | openssl dgst -sha256 -hmac
// provider-secret`, as a provider would compute it.
TEST(PaymentNotice, TheSignatureIsAnHmacOverTimestampDotBody) {
  EXPECT_EQ(sign_payment_notice(kSecret, "1796000000", "{}"),
            "0679678e28d7d780cda4095cd1cac8c4bf525b5b8d64c28beb9f6c1ff81eaba3");
}

TEST(PaymentNotice, ABadOrMissingSignatureIs4001) {
  EXPECT_EQ(refusal(read(kBody, kNow, "another-secret")), "4001 bad signature");
  const std::string timestamp = std::to_string(kNow);
  EXPECT_EQ(refusal(read_payment_notice(kSecret, 300s, {"", timestamp}, kBody, kNow)).substr(0, 4),
            "4001");
  std::string signature = sign_payment_notice(kSecret, timestamp, kBody);
  signature[10] = signature[10] == 'a' ? 'b' : 'a';
  EXPECT_EQ(refusal(read_payment_notice(kSecret, 300s, {signature, timestamp}, kBody, kNow)),
            "4001 bad signature");
  // The body signed is the body checked: one byte more and it no longer matches.
  signature = sign_payment_notice(kSecret, timestamp, kBody);
  EXPECT_EQ(refusal(read_payment_notice(kSecret, 300s, {signature, timestamp}, kBody + " ", kNow)),
            "4001 bad signature");
  // Upper-case hex is the same signature.
  for (char& c : signature) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(refusal(read_payment_notice(kSecret, 300s, {signature, timestamp}, kBody, kNow)),
            "accepted");
}

TEST(PaymentNotice, AReplayOutsideTheWindowIs4001) {
  EXPECT_EQ(refusal(read(kBody, kNow - 299)), "accepted");
  EXPECT_EQ(refusal(read(kBody, kNow - 301)),
            "4001 X-Seckill-Timestamp: outside the replay window");
  EXPECT_EQ(refusal(read(kBody, kNow + 301)),
            "4001 X-Seckill-Timestamp: outside the replay window");
  const std::string signature = sign_payment_notice(kSecret, "soon", kBody);
  EXPECT_EQ(refusal(read_payment_notice(kSecret, 300s, {signature, "soon"}, kBody, kNow)),
            "4001 X-Seckill-Timestamp: missing or not Unix seconds");
}

TEST(PaymentNotice, AMalformedBodyIs4000NamingTheField) {
  EXPECT_EQ(refusal(read("not json")), "4000 body: must be a JSON object");
  EXPECT_EQ(refusal(read("[1,2]")), "4000 body: must be a JSON object");
  EXPECT_EQ(refusal(read(std::string(100000, '[') + std::string(100000, ']'))),
            "4000 body: must be a JSON object")
      << "deep nesting is read without recursion";
  EXPECT_EQ(refusal(read(R"({"order_id":"x","payment_id":"p","amount":1,"currency":"CNY"})")),
            "4000 order_id: must be an order id such as 42-17");
  EXPECT_EQ(refusal(read(R"({"order_id":"1-1","payment_id":"a b","amount":1,"currency":"CNY"})")),
            "4000 payment_id: must be 1-64 letters, digits, - _ . :");
  EXPECT_EQ(refusal(read(R"({"order_id":"1-1","payment_id":"p","amount":1.5,"currency":"CNY"})")),
            "4000 amount: must be an integer of minor units, >= 0");
  EXPECT_EQ(refusal(read(R"({"order_id":"1-1","payment_id":"p","amount":-1,"currency":"CNY"})")),
            "4000 amount: must be an integer of minor units, >= 0");
  EXPECT_EQ(refusal(read(R"({"order_id":"1-1","payment_id":"p","amount":1,"currency":"cny"})")),
            "4000 currency: must be three capital letters (ISO 4217)");
}

TEST(PaymentNotice, TheAnswerSaysWhatBecameOfThePayment) {
  Payment payment{"42-17", "pay_1", 1999, "CNY"};
  OrderOutcome paid;
  paid.outcome = "paid";
  paid.state = "paid";
  auto answer = answer_for_payment(payment, paid);
  EXPECT_EQ(answer.code, Code::kOk);
  EXPECT_NE(answer.body().find(R"("outcome":"paid")"), std::string::npos) << answer.body();
  OrderOutcome late;
  late.outcome = "refund_due";
  late.state = "expired";
  answer = answer_for_payment(payment, late);
  EXPECT_EQ(answer.code, Code::kOk) << "taken in: the provider must not resend it";
  EXPECT_NE(answer.body().find(R"("state":"expired")"), std::string::npos) << answer.body();
  OrderOutcome mismatch;
  mismatch.outcome = "mismatch";
  mismatch.detail = "amount 2999";
  answer = answer_for_payment(payment, mismatch);
  EXPECT_EQ(answer.code, Code::kBadRequest);
  EXPECT_EQ(answer.message, "amount: does not match the order (amount 2999)");
  OrderOutcome unknown;
  unknown.outcome = "unknown_order";
  EXPECT_EQ(answer_for_payment(payment, unknown).code, Code::kNotFound);
}

}  // namespace
}  // namespace seckill::proxy
