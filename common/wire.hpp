// Wire messages between the proxy and the logic tier, carried as JSON on Redis lists.
//
//   request  {"id":"p1-...-42","product_id":7,"user_id":1001,"reply_to":"seckill:reply:{p1}",
//             "deadline_ms":1767225600000}
//            with ,"quantity":3 after user_id when more than one unit is bought at once
//   reply    {"id":"p1-...-42","code":0,"order_id":"7-15","left":85}
//
// Decoding never trusts its input: anything malformed is an Error value naming the field, so a
// worker can log it and move on (a malformed queue message is dead-lettered, never fatal).
// A request id is 1..200 of [A-Za-z0-9._:-]; reply_to is "seckill:reply:{" + 1..64 of those + "}":
// the decision script builds replies from them without escaping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/ids.hpp"
#include "common/base/result.hpp"
#include "common/base/status.hpp"

namespace seckill {

/// Longest request id or reply list name we accept; bounds what a bad message can make us hold.
inline constexpr std::size_t kMaxWireIdLength = 200;
/// Bounds of a wire message a decoder reads at all: anything larger or deeper is malformed
/// (the messages seckill writes are one flat object of about 150 bytes). The parser never
/// recurses, so no message can exhaust a thread's stack, whatever its nesting.
inline constexpr std::size_t kMaxWireMessageBytes = 16 * 1024;
inline constexpr int kMaxWireDepth = 16;

/// Most units one purchase may ask for: the largest per-user limit a product may have.
inline constexpr std::int64_t kMaxPurchaseQuantity = 1'000'000;

struct PurchaseRequest {
  std::string id;
  ProductId product_id = 0;
  UserId user_id = 0;
  std::string reply_to;
  std::int64_t deadline_ms = 0;
  std::int64_t quantity = 1;  // units bought at once, all or nothing
};

struct PurchaseReply {
  std::string id;
  Code code = Code::kTimeout;
  std::string order_id;    // set when code is kPurchased or kLimitReached
  std::int64_t left = -1;  // stock left after the decision, -1 when unknown
  bool lost_draw = false;  // a 1005 of the buy_rate draw, not of the max_per_second cap
};

/// Whether `text` is 1..max_length characters of [A-Za-z0-9._:-]: safe inside Redis key names,
/// Lua strings and JSON without escaping.
bool is_safe_name(std::string_view text, std::size_t max_length);

std::string encode_request(const PurchaseRequest& request);
/// encode_request() without the copy: the text lives in a buffer of the calling thread and is
/// valid until that thread encodes another message.
std::string_view encode_request_in_place(const PurchaseRequest& request);
Result<PurchaseRequest> decode_request(std::string_view text);

std::string encode_reply(const PurchaseReply& reply);
Result<PurchaseReply> decode_reply(std::string_view text);

}  // namespace seckill
