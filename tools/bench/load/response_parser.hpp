// ResponseParser: just enough HTTP/1.1 response parsing for the load generator.
//
// The generator must not be the bottleneck, so instead of a full parser it reads the status, the
// Content-Length and the body's "code" field, in place, from a buffer it appends to. Pure: tested
// without sockets.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace seckill::bench {

struct ParsedResponse {
  int status = 0;
  int code = -1;  // the JSON body's "code", -1 when absent
  bool keep_alive = true;
  std::size_t size = 0;  // bytes of the whole response (head + body)
};

/// Parses one complete response at the start of `data`; nullopt when more bytes are needed.
/// A malformed response yields status 0.
std::optional<ParsedResponse> parse_response(std::string_view data);

}  // namespace seckill::bench
