#include "proxy/purchase/purchase_gate.hpp"

#include <gtest/gtest.h>

#include "common/token/token.hpp"

namespace seckill::proxy {
namespace {

constexpr const char* kSecret = "gate-secret";
constexpr std::int64_t kNow = 1'800'000'000;  // Unix seconds

TokenKeyring keyring() {
  TokenConfig config;
  config.keys = {{"k1", "first-key"}};
  return TokenKeyring(config, kSecret);
}
const TokenKeyring kTokens = keyring();

RequestParams params_for(const std::string& query) {
  return RequestParams::parse("/seckill?" + query, "", "");
}

ApiAnswer rejection(const std::string& query) {
  auto outcome = identify_buyer(params_for(query), kTokens, kNow);
  EXPECT_TRUE(std::holds_alternative<ApiAnswer>(outcome)) << query;
  return std::holds_alternative<ApiAnswer>(outcome) ? std::get<ApiAnswer>(outcome) : ApiAnswer{};
}

TEST(IdentifyBuyer, AcceptsValidParameters) {
  auto outcome = identify_buyer(
      params_for("product_id=3&user_id=5&token=" + make_token(kSecret, 5)), kTokens, kNow);
  ASSERT_TRUE(std::holds_alternative<Buyer>(outcome));
  EXPECT_EQ(std::get<Buyer>(outcome).product_id, 3);
  EXPECT_EQ(std::get<Buyer>(outcome).user_id, 5);
}

TEST(IdentifyBuyer, NamesTheMissingOrMalformedParameter) {
  const std::string token = "&token=" + make_token(kSecret, 5);
  EXPECT_EQ(rejection("user_id=5" + token).message, "missing parameter product_id");
  EXPECT_EQ(rejection("product_id=&user_id=5" + token).message, "missing parameter product_id");
  EXPECT_EQ(rejection("product_id=abc&user_id=5" + token).message,
            "malformed parameter product_id: must be an integer in 1..2^63-1");
  EXPECT_EQ(rejection("product_id=1" + token).message, "missing parameter user_id");
  EXPECT_EQ(rejection("product_id=1&user_id=-5" + token).message,
            "malformed parameter user_id: must be an integer in 1..2^63-1");
  EXPECT_EQ(rejection("product_id=1&user_id=9223372036854775808" + token).code, Code::kBadRequest);
  EXPECT_EQ(rejection("product_id=0&user_id=5" + token).code, Code::kBadRequest);
}

TEST(IdentifyBuyer, ParametersAreCheckedBeforeTheToken) {
  EXPECT_EQ(rejection("product_id=x&user_id=5&token=bad").code, Code::kBadRequest);
}

TEST(IdentifyBuyer, BadOrMissingTokenIs4001) {
  EXPECT_EQ(rejection("product_id=1&user_id=5").code, Code::kBadToken);
  EXPECT_EQ(rejection("product_id=1&user_id=5&token=").code, Code::kBadToken);
  EXPECT_EQ(rejection("product_id=1&user_id=5&token=" + make_token(kSecret, 6)).code,
            Code::kBadToken);
  EXPECT_EQ(rejection("product_id=1&user_id=5&token=" + make_token("other", 5)).code,
            Code::kBadToken);
  EXPECT_EQ(rejection("product_id=1&user_id=5&token=" + kTokens.issue(6, kNow + 60)).message,
            "bad token");
}

TEST(IdentifyBuyer, AcceptsAV2TokenUntilItExpires) {
  const std::string query = "product_id=1&user_id=5&token=" + kTokens.issue(5, kNow + 60);
  EXPECT_TRUE(std::holds_alternative<Buyer>(identify_buyer(params_for(query), kTokens, kNow)));
  EXPECT_TRUE(std::holds_alternative<Buyer>(identify_buyer(params_for(query), kTokens, kNow + 59)));
  auto expired = identify_buyer(params_for(query), kTokens, kNow + 60);
  ASSERT_TRUE(std::holds_alternative<ApiAnswer>(expired));
  EXPECT_EQ(std::get<ApiAnswer>(expired).code, Code::kBadToken);
  EXPECT_EQ(std::get<ApiAnswer>(expired).message, "token expired");
}

TEST(PurchaseQuantity, DefaultsToOneAndNamesAMalformedOne) {
  auto quantity_of = [](const std::string& query) { return purchase_quantity(params_for(query)); };
  EXPECT_EQ(std::get<std::int64_t>(quantity_of("product_id=1")), 1);
  EXPECT_EQ(std::get<std::int64_t>(quantity_of("quantity=3")), 3);
  EXPECT_EQ(std::get<std::int64_t>(quantity_of("quantity=1000000")), 1000000);
  for (const char* bad : {"quantity=0", "quantity=-1", "quantity=", "quantity=2x",
                          "quantity=1000001", "quantity=99999999999999999999"}) {
    auto answer = quantity_of(bad);
    ASSERT_TRUE(std::holds_alternative<ApiAnswer>(answer)) << bad;
    EXPECT_EQ(std::get<ApiAnswer>(answer).code, Code::kBadRequest) << bad;
    EXPECT_EQ(std::get<ApiAnswer>(answer).message,
              "malformed parameter quantity: must be an integer in 1..1000000");
  }
}

TEST(AnswerOverLimit, RefusesMoreUnitsThanAnyoneMayHold) {
  ProductState product{1, "p", 10, 5, 1000, 2000, true};
  product.per_user_limit = 3;
  EXPECT_FALSE(answer_over_limit(product, 3));
  auto over = answer_over_limit(product, 4);
  ASSERT_TRUE(over);
  EXPECT_EQ(over->code, Code::kLimitReached);
  EXPECT_NE(over->body().find(R"("per_user_limit":3)"), std::string::npos) << over->body();
}

TEST(AnswerForReply, NotEnoughForTheQuantityTellsWhatIsLeft) {
  PurchaseReply reply;
  reply.code = Code::kSoldOut;
  reply.left = 2;
  ApiAnswer answer = answer_for_reply(reply, 1);
  EXPECT_EQ(answer.message, "not enough left for this quantity");
  EXPECT_NE(answer.body().find(R"("left":2)"), std::string::npos) << answer.body();
  reply.left = 0;
  EXPECT_NE(answer_for_reply(reply, 1).body().find(R"("left":0)"), std::string::npos);
}

TEST(AnswerFromCache, FollowsTheSaleWindowAndStock) {
  ProductMap products;
  products[1] = ProductState{1, "p", 10, 5, 1000, 2000, true};
  EXPECT_EQ(answer_from_cache(products, 2, 1500)->code, Code::kNotFound);
  auto early = answer_from_cache(products, 1, 999);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->code, Code::kNotStarted);
  EXPECT_NE(early->body().find("\"start_ms\":1000"), std::string::npos);
  EXPECT_FALSE(answer_from_cache(products, 1, 1000)) << "open: only logic decides";
  EXPECT_EQ(answer_from_cache(products, 1, 2000)->code, Code::kEnded);
  products[1].left = 0;
  EXPECT_EQ(answer_from_cache(products, 1, 1500)->code, Code::kSoldOut);
  products[1].enabled = false;
  EXPECT_EQ(answer_from_cache(products, 1, 1500)->code, Code::kPaused);
}

TEST(AnswerForReply, CarriesTheOrder) {
  PurchaseReply reply{"id", Code::kPurchased, "1-9", 4};
  auto answer = answer_for_reply(reply, 1);
  EXPECT_EQ(answer.code, Code::kPurchased);
  EXPECT_NE(answer.body().find(R"("order_id":"1-9")"), std::string::npos);
  EXPECT_NE(answer.body().find(R"("left":4)"), std::string::npos);
  PurchaseReply limit{"id", Code::kLimitReached, "1-2", -1};
  EXPECT_NE(answer_for_reply(limit, 1).body().find(R"("order_id":"1-2")"), std::string::npos);
  PurchaseReply timeout{"id", Code::kTimeout, "", -1};
  EXPECT_EQ(answer_for_reply(timeout, 1).http_status(), 504);
  EXPECT_EQ(answer_for_reply(timeout, 1).body().find("product_id"), std::string::npos)
      << "undecided: about no product";
  PurchaseReply sold_out{"id", Code::kSoldOut, "", 0};
  EXPECT_NE(answer_for_reply(sold_out, 7).body().find(R"("product_id":7)"), std::string::npos);
}

// A lost buy_rate draw is not "busy": the answer says so plainly.
TEST(AnswerForReply, ALostDrawSaysSo) {
  PurchaseReply capped{"id", Code::kTryLater, "", -1};
  EXPECT_EQ(answer_for_reply(capped, 1).body().find("draw"), std::string::npos);
  PurchaseReply lost = capped;
  lost.lost_draw = true;
  auto answer = answer_for_reply(lost, 1);
  EXPECT_EQ(answer.message, "not drawn this time: only a share of attempts go through, try again");
  EXPECT_NE(answer.body().find(R"("draw":"lost")"), std::string::npos) << answer.body();
}

TEST(AnswerForOrders, ListsEveryOrderWithItsStateOrSaysNone) {
  auto none = answer_for_orders(std::vector<OrderView>{}, 3);
  EXPECT_EQ(none.code, Code::kNoOrder);
  auto some = answer_for_orders(order_views({"3-1", "pending_payment|1|9|1796000000000|", "3-7",
                                             "paid|2|9|1796000000500|p-1|3"}),
                                3);
  EXPECT_EQ(some.code, Code::kOk);
  const std::string body = some.body();
  EXPECT_NE(body.find(R"("order_id":"3-1")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("order_ids":["3-1","3-7"])"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("state":"pending_payment")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("pay_by_ms":1796000000000)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("pay_by":"2026-11-30T)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("state":"pending_payment","quantity":1,)"), std::string::npos) << body;
  EXPECT_NE(
      body.find(R"({"order_id":"3-7","state":"paid","pay_by_ms":1796000000500,"quantity":3})"),
      std::string::npos)
      << body;
  // An order bought before orders had records: its id alone.
  auto old = answer_for_orders(order_views({"3-2", ""}), 3);
  EXPECT_EQ(old.body().find("state"), std::string::npos) << old.body();
  EXPECT_EQ(answer_for_orders(Error{"down"}, 3).code, Code::kUnavailable);
}

TEST(ProductInfo, DescribesState) {
  ProductState product{4, "Phone \"X\"", 10, 0, 1000, 2000, true};
  const std::string json = product_info_json(product, 1500);
  EXPECT_NE(json.find(R"("state":"sold_out")"), std::string::npos);
  EXPECT_NE(json.find(R"("name":"Phone \"X\"")"), std::string::npos);
  EXPECT_NE(json.find(R"("left":0)"), std::string::npos);
}

}  // namespace
}  // namespace seckill::proxy
