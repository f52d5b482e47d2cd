#include "common/wire.hpp"

#include <gtest/gtest.h>

namespace seckill {
namespace {

TEST(Wire, RequestRoundTrips) {
  PurchaseRequest request{"p1-17-3", 7, 9223372036854775807LL, "seckill:reply:{p1}", 1767225600123};
  auto decoded = decode_request(encode_request(request));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->id, request.id);
  EXPECT_EQ(decoded->product_id, 7);
  EXPECT_EQ(decoded->user_id, 9223372036854775807LL);
  EXPECT_EQ(decoded->reply_to, request.reply_to);
  EXPECT_EQ(decoded->deadline_ms, 1767225600123);
}

// One unit leaves the message as it always was; more units add "quantity" after user_id, where
// the queue script's pattern expects it.
TEST(Wire, AQuantityTravelsOnlyWhenMoreThanOne) {
  PurchaseRequest request{"p1-17-3", 7, 42, "seckill:reply:{p1}", 1767225600123};
  EXPECT_EQ(encode_request(request).find("quantity"), std::string::npos);
  EXPECT_EQ(decode_request(encode_request(request))->quantity, 1);
  request.quantity = 3;
  EXPECT_EQ(encode_request(request),
            R"({"id":"p1-17-3","product_id":7,"user_id":42,"quantity":3,)"
            R"("reply_to":"seckill:reply:{p1}","deadline_ms":1767225600123})");
  EXPECT_EQ(decode_request(encode_request(request))->quantity, 3);
  for (const char* bad : {"0", "-2", "1000001", "\"3\""}) {
    const std::string text = std::string(R"({"id":"a","product_id":1,"user_id":1,"quantity":)") +
                             bad + R"(,"reply_to":"seckill:reply:{p}","deadline_ms":1})";
    EXPECT_FALSE(decode_request(text)) << text;
  }
}

// A message of 200,000 nested arrays (400 KB) used to overflow the stack of whichever thread
// decoded it; now it is an error, and so is anything past the size bound.
TEST(Wire, DeepOrHugeMessagesAreErrorsNotCrashes) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_FALSE(decode_request(deep));
  EXPECT_FALSE(decode_reply(deep));
  std::string nested_member = R"({"id":"a","code":0,"x":)";
  for (int i = 0; i < 20; ++i) nested_member += "[";
  for (int i = 0; i < 20; ++i) nested_member += "]";
  nested_member += "}";
  auto reply = decode_reply(nested_member);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message, "nested too deep");
  std::string shallow_member = R"({"id":"a","code":0,"x":[[[]]]})";
  EXPECT_TRUE(decode_reply(shallow_member));
  const std::string huge =
      R"({"id":"a","code":0,"pad":")" + std::string(kMaxWireMessageBytes, 'x') + "\"}";
  auto too_large = decode_reply(huge);
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error().message, "message too large");
}

TEST(Wire, ReplyRoundTrips) {
  PurchaseReply reply{"id\"with quote", Code::kPurchased, "7-15", 85};
  auto decoded = decode_reply(encode_reply(reply));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->id, reply.id);
  EXPECT_EQ(decoded->code, Code::kPurchased);
  EXPECT_EQ(decoded->order_id, "7-15");
  EXPECT_EQ(decoded->left, 85);
}

TEST(Wire, ReplyWithoutOptionalFields) {
  auto decoded = decode_reply(R"({"id":"a","code":1001})");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->code, Code::kSoldOut);
  EXPECT_TRUE(decoded->order_id.empty());
  EXPECT_EQ(decoded->left, -1);
  EXPECT_FALSE(decoded->lost_draw);
}

// A 1005 of the buy_rate draw says so, through the encoder and the decoder alike.
TEST(Wire, ALostDrawIsToldApart) {
  auto decoded = decode_reply(R"({"id":"a","code":1005,"lost_draw":1})");
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->lost_draw);
  PurchaseReply reply;
  reply.id = "b";
  reply.code = Code::kTryLater;
  reply.lost_draw = true;
  EXPECT_EQ(encode_reply(reply), R"({"id":"b","code":1005,"lost_draw":1})");
  EXPECT_FALSE(decode_reply(R"({"id":"a","code":1005,"lost_draw":"yes"})"))
      << "a field of the wrong type is malformed";
}

TEST(Wire, MalformedRequestsAreErrorsNamingTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "JSON"},
      {"not json", "JSON"},
      {"[1,2]", "object"},
      {R"({"product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})", "id"},
      {R"({"id":"","product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})",
       "id"},
      {R"({"id":"a","product_id":"1","user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})",
       "product_id"},
      {R"({"id":"a","product_id":0,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})",
       "product_id"},
      {R"({"id":"a","product_id":1,"user_id":-2,"reply_to":"seckill:reply:{p}","deadline_ms":1})",
       "user_id"},
      {R"({"id":"a","product_id":1,"user_id":2,"deadline_ms":1})", "reply_to"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"","deadline_ms":1})", "reply_to"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"seckill:product:{1}","deadline_ms":1})",
       "reply_to"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"seckill:reply:","deadline_ms":1})",
       "reply_to"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"seckill:reply:{}","deadline_ms":1})",
       "reply_to"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"seckill:reply:p","deadline_ms":1})",
       "reply_to"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"seckill:reply:{p","deadline_ms":1})",
       "reply_to"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}}","deadline_ms":1})",
       "reply_to"},
      {R"({"id":"a\"b","product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})",
       "id"},
      {R"({"id":"a b","product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})",
       "id"},
      {R"({"id":"a","product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1.5})",
       "deadline"},
      {R"({"id":"a","product_id":1e30,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})",
       "product_id"},
  };
  for (const auto& [text, mention] : cases) {
    auto decoded = decode_request(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_NE(decoded.error().message.find(mention), std::string::npos)
        << text << " -> " << decoded.error().message;
  }
}

TEST(Wire, UnknownAndNestedMembersAreSkippedAndTheFirstOccurrenceWins) {
  auto decoded = decode_request(
      R"({"extra":{"id":"nested","product_id":99,"list":[1,{"user_id":5}]},"id":"a",)"
      R"("product_id":7,"user_id":2,"id":"second","reply_to":"seckill:reply:{p}",)"
      R"("deadline_ms":1,"more":[null,true,1.5,"x"]})");
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->id, "a");
  EXPECT_EQ(decoded->product_id, 7);
  EXPECT_EQ(decoded->user_id, 2);

  auto nested_field = decode_request(
      R"({"id":{"x":1},"product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})");
  ASSERT_FALSE(nested_field);
  EXPECT_EQ(nested_field.error().message, "id is not a string");
}

TEST(Wire, DecodingOneMessageDoesNotLeakIntoTheNext) {
  // The reader and writer are reused per thread: each message must still stand alone.
  ASSERT_FALSE(decode_reply(R"({"id":"a","code":0,"left":)"));
  auto reply = decode_reply(R"({"id":"b","code":1001})");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->id, "b");
  EXPECT_EQ(reply->left, -1);
  PurchaseReply first{.id = "x", .code = Code::kPurchased, .order_id = "1-1", .left = 3};
  PurchaseReply second{.id = "y", .code = Code::kSoldOut, .order_id = "", .left = -1};
  EXPECT_EQ(encode_reply(first), R"({"id":"x","code":0,"order_id":"1-1","left":3})");
  EXPECT_EQ(encode_reply(second), R"({"id":"y","code":1001})");
}

TEST(Wire, OverlongIdsAreRejected) {
  std::string id(kMaxWireIdLength + 1, 'x');
  auto decoded = decode_request(
      R"({"id":")" + id +
      R"(","product_id":1,"user_id":2,"reply_to":"seckill:reply:{p}","deadline_ms":1})");
  EXPECT_FALSE(decoded);
}

TEST(Wire, MalformedRepliesAreErrors) {
  for (const char* text : {"", "{}", R"({"id":"a"})", R"({"id":"a","code":77})",
                           R"({"id":"a","code":0,"order_id":5})", R"({"id":1,"code":0})"}) {
    EXPECT_FALSE(decode_reply(text)) << text;
  }
}

}  // namespace
}  // namespace seckill
