#include "proxy/http/response_writer.hpp"

#include <gtest/gtest.h>

namespace seckill::proxy {
namespace {

TEST(ResponseWriter, Http11KeepAliveNeedsNoConnectionHeader) {
  EXPECT_EQ(format_response_head(200, 42, 1, true),
            "HTTP/1.1 200 OK\r\nServer: seckill\r\nContent-Type: application/json\r\n"
            "Cache-Control: no-store\r\nContent-Length: 42\r\n\r\n");
}

TEST(ResponseWriter, Http11CloseSaysSo) {
  EXPECT_NE(format_response_head(400, 0, 1, false).find("\r\nConnection: close\r\n\r\n"),
            std::string::npos);
}

TEST(ResponseWriter, Http10KeepAliveSaysSo) {
  const std::string head = format_response_head(504, 7, 0, true);
  EXPECT_TRUE(head.starts_with("HTTP/1.0 504 Gateway Timeout\r\n"));
  EXPECT_NE(head.find("Connection: keep-alive"), std::string::npos);
  EXPECT_EQ(format_response_head(200, 7, 0, false).find("Connection:"), std::string::npos);
}

TEST(ResponseWriter, CacheControlAndExtraHeadersGoInTheHead) {
  EXPECT_EQ(
      format_response_head(304, 5, 1, true, "text/css", "public, max-age=300", "ETag: \"e\"\r\n"),
      "HTTP/1.1 304 Not Modified\r\nServer: seckill\r\nContent-Type: text/css\r\n"
      "Cache-Control: public, max-age=300\r\nContent-Length: 5\r\nETag: \"e\"\r\n\r\n");
}

TEST(ResponseWriter, EveryStatusWeSendHasItsPhrase) {
  for (int status : {200, 304, 400, 401, 403, 404, 429, 503, 504}) {
    EXPECT_NE(reason_phrase(status), "Internal Server Error") << status;
  }
}

}  // namespace
}  // namespace seckill::proxy
