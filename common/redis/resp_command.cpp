#include "common/redis/resp_command.hpp"

#include <array>
#include <charconv>

namespace seckill {
namespace {

void append_number(std::string& out, std::size_t number) {
  std::array<char, 20> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
  out.append(digits.data(), end);
}

}  // namespace

void RespCommand::clear() {
  arguments_.clear();
  count_ = 0;
}

RespCommand& RespCommand::arg(std::string_view value) {
  arguments_.push_back('$');
  append_number(arguments_, value.size());
  arguments_.append("\r\n").append(value).append("\r\n");
  ++count_;
  return *this;
}

std::string_view RespCommand::text() {
  // The count comes first but is known last: one copy of the arguments per command, not one
  // allocation per argument.
  text_.clear();
  text_.push_back('*');
  append_number(text_, count_);
  text_.append("\r\n").append(arguments_);
  return text_;
}

}  // namespace seckill
