// RespCommand: one Redis command written straight into the protocol's text (RESP), in buffers
// that are reused from one command to the next.
//
// A proxy writer sends one RPUSH per batch with a few hundred requests as its arguments.
// Handing those to hiredis as a list of strings costs a string per request, two argument
// arrays and hiredis's own copy; written here, each request is copied once, into a buffer that
// has long reached its working size.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace seckill {

class RespCommand {
 public:
  /// Forgets the arguments, keeping the buffers.
  void clear();
  /// Appends one argument (any bytes).
  RespCommand& arg(std::string_view value);
  /// How many arguments so far, the command's name included.
  std::size_t size() const { return count_; }
  /// The whole command as RESP ("*N\r\n" then each argument as a bulk string); valid until the
  /// next call on this object.
  std::string_view text();

 private:
  std::string arguments_;  // the bulk strings, in order
  std::string text_;       // the count, then arguments_
  std::size_t count_ = 0;
};

}  // namespace seckill
