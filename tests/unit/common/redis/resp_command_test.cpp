#include "common/redis/resp_command.hpp"

#include <string>

#include <gtest/gtest.h>

namespace seckill {
namespace {

TEST(RespCommand, WritesTheCountThenEachArgumentAsABulkString) {
  RespCommand command;
  command.arg("RPUSH").arg("q").arg("");
  EXPECT_EQ(command.size(), 3u);
  EXPECT_EQ(command.text(), "*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$0\r\n\r\n");
}

TEST(RespCommand, ArgumentsAreBinarySafe) {
  using namespace std::string_literals;
  RespCommand command;
  const std::string value = "a\r\n\0b"s;
  command.arg("SET").arg("k").arg(value);
  EXPECT_EQ(command.text(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\r\n\0b\r\n"s);
}

TEST(RespCommand, ClearStartsAnewAndTextCanBeAskedAgain) {
  RespCommand command;
  for (int i = 0; i < 12; ++i) command.arg("x");
  EXPECT_EQ(command.text().substr(0, 5), "*12\r\n");
  command.clear();
  EXPECT_EQ(command.size(), 0u);
  command.arg("PING");
  EXPECT_EQ(command.text(), "*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(command.text(), "*1\r\n$4\r\nPING\r\n");
}

}  // namespace
}  // namespace seckill
