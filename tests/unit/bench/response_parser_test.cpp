#include "tools/bench/load/response_parser.hpp"

#include <gtest/gtest.h>

namespace seckill::bench {
namespace {

TEST(ResponseParser, ParsesStatusCodeAndSize) {
  auto body = std::string("{\"code\":1001,\"message\":\"sold out\",\"data\":{}}");
  std::string response =
      "HTTP/1.1 200 OK\r\nServer: seckill\r\ncontent-length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  auto parsed = parse_response(response + "HTTP/1.1 ...next");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 200);
  EXPECT_EQ(parsed->code, 1001);
  EXPECT_TRUE(parsed->keep_alive);
  EXPECT_EQ(parsed->size, response.size());
}

TEST(ResponseParser, WaitsForTheWholeMessage) {
  EXPECT_FALSE(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 10"));
  EXPECT_FALSE(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"code\""));
}

TEST(ResponseParser, ReadsConnectionCloseAndErrors) {
  auto parsed = parse_response(
      "HTTP/1.1 504 Gateway Timeout\r\nConnection: close\r\nContent-Length: 11\r\n\r\n"
      "{\"code\":5004}");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 504);
  EXPECT_FALSE(parsed->keep_alive);
}

TEST(ResponseParser, MalformedIsStatusZero) {
  auto parsed = parse_response("garbage\r\n\r\n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 0);
}

}  // namespace
}  // namespace seckill::bench
