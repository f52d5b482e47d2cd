// libFuzzer target: the wire decoders. Whatever arrives on a queue must decode or be an error,
// never crash; what decodes must encode and decode to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto request = seckill::decode_request(text)) {
    auto again = seckill::decode_request(seckill::encode_request(*request));
    if (!again || again->id != request->id || again->user_id != request->user_id ||
        again->deadline_ms != request->deadline_ms) {
      std::abort();
    }
  }
  if (auto reply = seckill::decode_reply(text)) {
    auto again = seckill::decode_reply(seckill::encode_reply(*reply));
    if (!again || again->id != reply->id || again->code != reply->code) std::abort();
  }
  return 0;
}
