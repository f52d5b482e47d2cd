#include "common/wire.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace seckill {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, const char* key, std::string_view value) {
  writer.Key(key);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_int(Writer& writer, const char* key, std::int64_t value) {
  writer.Key(key);
  writer.Int64(value);
}

Result<rapidjson::Document> parse_object(std::string_view text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError()) return Error{"not valid JSON"};
  if (!document.IsObject()) return Error{"not a JSON object"};
  return document;
}

Result<std::string> get_string(const rapidjson::Value& object, const char* key, bool required) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) {
    if (required) return Error{std::string("missing ") + key};
    return std::string();
  }
  if (!it->value.IsString()) return Error{std::string(key) + " is not a string"};
  if (it->value.GetStringLength() > kMaxWireIdLength) return Error{std::string(key) + " too long"};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

Result<std::int64_t> get_int(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return Error{std::string("missing ") + key};
  if (!it->value.IsInt64()) return Error{std::string(key) + " is not an integer"};
  return it->value.GetInt64();
}

constexpr std::string_view kReplyListPrefix = "seckill:reply:";

}  // namespace

bool is_safe_name(std::string_view text, std::size_t max_length) {
  if (text.empty() || text.size() > max_length) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string encode_request(const PurchaseRequest& request) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  write_string(writer, "id", request.id);
  write_int(writer, "product_id", request.product_id);
  write_int(writer, "user_id", request.user_id);
  write_string(writer, "reply_to", request.reply_to);
  write_int(writer, "deadline_ms", request.deadline_ms);
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<PurchaseRequest> decode_request(std::string_view text) {
  auto document = parse_object(text);
  if (!document) return document.error();
  PurchaseRequest request;
  auto id = get_string(*document, "id", true);
  if (!id) return id.error();
  if (!is_safe_name(*id, kMaxWireIdLength)) return Error{"id is empty or has bad characters"};
  auto product = get_int(*document, "product_id");
  if (!product) return product.error();
  auto user = get_int(*document, "user_id");
  if (!user) return user.error();
  auto reply_to = get_string(*document, "reply_to", true);
  if (!reply_to) return reply_to.error();
  if (!reply_to->starts_with(kReplyListPrefix) ||
      !is_safe_name(std::string_view(*reply_to).substr(kReplyListPrefix.size()), 64)) {
    return Error{"reply_to is not a reply list"};
  }
  auto deadline = get_int(*document, "deadline_ms");
  if (!deadline) return deadline.error();
  if (*product < 1) return Error{"product_id out of range"};
  if (*user < 1) return Error{"user_id out of range"};
  request.id = std::move(*id);
  request.product_id = *product;
  request.user_id = *user;
  request.reply_to = std::move(*reply_to);
  request.deadline_ms = *deadline;
  return request;
}

std::string encode_reply(const PurchaseReply& reply) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  write_string(writer, "id", reply.id);
  write_int(writer, "code", static_cast<int>(reply.code));
  if (!reply.order_id.empty()) write_string(writer, "order_id", reply.order_id);
  if (reply.left >= 0) write_int(writer, "left", reply.left);
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<PurchaseReply> decode_reply(std::string_view text) {
  auto document = parse_object(text);
  if (!document) return document.error();
  PurchaseReply reply;
  auto id = get_string(*document, "id", true);
  if (!id) return id.error();
  auto code_number = get_int(*document, "code");
  if (!code_number) return code_number.error();
  auto code = code_from_int(*code_number);
  if (!code) return Error{"unknown code " + std::to_string(*code_number)};
  auto order_id = get_string(*document, "order_id", false);
  if (!order_id) return order_id.error();
  reply.id = std::move(*id);
  reply.code = *code;
  reply.order_id = std::move(*order_id);
  if (document->HasMember("left")) {
    auto left = get_int(*document, "left");
    if (!left) return left.error();
    reply.left = *left;
  }
  return reply;
}

}  // namespace seckill
