#include "common/wire.hpp"

#include <limits>
#include <optional>
#include <span>

#include <rapidjson/reader.h>
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

// Every message is encoded by one thread-local writer into one thread-local buffer: after the
// first message neither allocates again (a fresh Writer allocates its nesting stack).
// The text stays in the thread's buffer until the thread encodes again.
template <typename Fill>
std::string_view encode_object_in_place(Fill fill) {
  thread_local rapidjson::StringBuffer buffer;
  thread_local Writer writer;
  buffer.Clear();
  writer.Reset(buffer);
  writer.StartObject();
  fill(writer);
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

template <typename Fill>
std::string encode_object(Fill fill) {
  return std::string(encode_object_in_place(fill));
}

// One member the decoder looks for in a message object.
struct WireField {
  WireField(const char* field_name, bool string_field)
      : name(field_name), is_string(string_field) {}

  const char* name;
  bool is_string;
  bool seen = false;
  bool wrong_type = false;
  bool too_long = false;
  std::string text;
  std::int64_t number = 0;
};

// A SAX handler that fills `fields` from the members of one flat JSON object: no DOM is built,
// and members the message does not need (nested ones included) are skipped. The first
// occurrence of a name wins, as with a DOM lookup.
class FieldCollector : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, FieldCollector> {
 public:
  explicit FieldCollector(std::span<WireField> fields) : fields_(fields) {}

  bool top_is_object() const { return top_is_object_; }
  bool too_deep() const { return too_deep_; }

  bool Key(const char* text, rapidjson::SizeType length, bool /*copy*/) {
    current_ = nullptr;
    if (depth_ != 1) return true;
    const std::string_view name(text, length);
    for (WireField& field : fields_) {
      if (!field.seen && name == field.name) current_ = &field;
    }
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool /*copy*/) {
    if (WireField* field = take_current(ValueKind::kString)) {
      if (length > kMaxWireIdLength) {
        field->too_long = true;
      } else {
        field->text.assign(text, length);
      }
    }
    return true;
  }
  bool Int(int value) { return integer(value); }
  bool Uint(unsigned value) { return integer(value); }
  bool Int64(std::int64_t value) { return integer(value); }
  bool Uint64(std::uint64_t value) {
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Default();
    }
    return integer(static_cast<std::int64_t>(value));
  }
  bool StartObject() {
    if (depth_ == 0) top_is_object_ = true;
    return open();
  }
  bool StartArray() { return open(); }
  bool EndObject(rapidjson::SizeType /*members*/) { return close(); }
  bool EndArray(rapidjson::SizeType /*elements*/) { return close(); }
  // null, true, false, a fraction: never the type of a field we look for.
  bool Default() {
    take_current(ValueKind::kOther);
    return true;
  }

 private:
  enum class ValueKind { kString, kInteger, kOther };

  // The field the value just read belongs to, marked seen; null when the value is not one of
  // ours or is of the wrong kind (then the field is marked as such).
  WireField* take_current(ValueKind kind) {
    WireField* field = depth_ == 1 ? current_ : nullptr;
    current_ = nullptr;
    if (field == nullptr) return nullptr;
    field->seen = true;
    if (kind != (field->is_string ? ValueKind::kString : ValueKind::kInteger)) {
      field->wrong_type = true;
      return nullptr;
    }
    return field;
  }
  bool integer(std::int64_t value) {
    if (WireField* field = take_current(ValueKind::kInteger)) field->number = value;
    return true;
  }
  bool open() {
    take_current(ValueKind::kOther);  // an object or array is never one of our fields
    if (++depth_ > kMaxWireDepth) {
      too_deep_ = true;
      return false;  // stops the parse at once
    }
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  std::span<WireField> fields_;
  WireField* current_ = nullptr;
  int depth_ = 0;
  bool top_is_object_ = false;
  bool too_deep_ = false;
};

// Fills `fields` from `text`, which must be one JSON object. The reader is thread-local so its
// parsing stack is allocated once per thread, not once per message. It parses iteratively: the
// recursive parser would overflow the stack on a message of many nested arrays.
Status collect_fields(std::string_view text, std::span<WireField> fields) {
  if (text.size() > kMaxWireMessageBytes) return Error{"message too large"};
  thread_local rapidjson::Reader reader;
  FieldCollector collector(fields);
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(stream);
  if (reader.Parse<rapidjson::kParseIterativeFlag>(input, collector).IsError()) {
    return Error{collector.too_deep() ? "nested too deep" : "not valid JSON"};
  }
  if (!collector.top_is_object()) return Error{"not a JSON object"};
  return Done{};
}

// Why `field` cannot be used, or nullopt when it can (a missing optional field can).
std::optional<Error> field_problem(const WireField& field, bool required) {
  if (!field.seen) {
    if (required) return Error{std::string("missing ") + field.name};
    return std::nullopt;
  }
  if (field.wrong_type) {
    return Error{std::string(field.name) +
                 (field.is_string ? " is not a string" : " is not an integer")};
  }
  if (field.too_long) return Error{std::string(field.name) + " too long"};
  return std::nullopt;
}

constexpr std::string_view kReplyListPrefix = "seckill:reply:{";
constexpr std::string_view kReplyListSuffix = "}";

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

std::string_view encode_request_in_place(const PurchaseRequest& request) {
  return encode_object_in_place([&](Writer& writer) {
    write_string(writer, "id", request.id);
    write_int(writer, "product_id", request.product_id);
    write_int(writer, "user_id", request.user_id);
    // Left out for one unit: the message of the usual purchase stays as short as it was.
    if (request.quantity != 1) write_int(writer, "quantity", request.quantity);
    write_string(writer, "reply_to", request.reply_to);
    write_int(writer, "deadline_ms", request.deadline_ms);
  });
}

std::string encode_request(const PurchaseRequest& request) {
  return std::string(encode_request_in_place(request));
}

Result<PurchaseRequest> decode_request(std::string_view text) {
  WireField fields[] = {{"id", true},       {"product_id", false},  {"user_id", false},
                        {"reply_to", true}, {"deadline_ms", false}, {"quantity", false}};
  auto& [id, product, user, reply_to, deadline, quantity] = fields;
  if (auto parsed = collect_fields(text, fields); !parsed) return parsed.error();
  for (const WireField* field : {&id, &product, &user, &reply_to, &deadline}) {
    if (auto problem = field_problem(*field, true)) return *problem;
  }
  if (auto problem = field_problem(quantity, false)) return *problem;
  if (quantity.seen && (quantity.number < 1 || quantity.number > kMaxPurchaseQuantity)) {
    return Error{"quantity out of range"};
  }
  if (!is_safe_name(id.text, kMaxWireIdLength)) return Error{"id is empty or has bad characters"};
  const std::string_view list = reply_to.text;
  if (!list.starts_with(kReplyListPrefix) || !list.ends_with(kReplyListSuffix) ||
      list.size() < kReplyListPrefix.size() + kReplyListSuffix.size() ||
      !is_safe_name(list.substr(kReplyListPrefix.size(),
                                list.size() - kReplyListPrefix.size() - kReplyListSuffix.size()),
                    64)) {
    return Error{"reply_to is not a reply list"};
  }
  if (product.number < 1) return Error{"product_id out of range"};
  if (user.number < 1) return Error{"user_id out of range"};
  PurchaseRequest request;
  request.id = std::move(id.text);
  request.product_id = product.number;
  request.user_id = user.number;
  if (quantity.seen) request.quantity = quantity.number;
  request.reply_to = std::move(reply_to.text);
  request.deadline_ms = deadline.number;
  return request;
}

std::string encode_reply(const PurchaseReply& reply) {
  return encode_object([&](Writer& writer) {
    write_string(writer, "id", reply.id);
    write_int(writer, "code", static_cast<int>(reply.code));
    if (!reply.order_id.empty()) write_string(writer, "order_id", reply.order_id);
    if (reply.left >= 0) write_int(writer, "left", reply.left);
    if (reply.lost_draw) write_int(writer, "lost_draw", 1);
  });
}

Result<PurchaseReply> decode_reply(std::string_view text) {
  WireField fields[] = {
      {"id", true}, {"code", false}, {"order_id", true}, {"left", false}, {"lost_draw", false}};
  auto& [id, code_number, order_id, left, lost_draw] = fields;
  if (auto parsed = collect_fields(text, fields); !parsed) return parsed.error();
  for (const WireField* field : {&id, &code_number}) {
    if (auto problem = field_problem(*field, true)) return *problem;
  }
  for (const WireField* field : {&order_id, &left, &lost_draw}) {
    if (auto problem = field_problem(*field, false)) return *problem;
  }
  auto code = code_from_int(code_number.number);
  if (!code) return Error{"unknown code " + std::to_string(code_number.number)};
  PurchaseReply reply;
  reply.id = std::move(id.text);
  reply.code = *code;
  reply.order_id = std::move(order_id.text);
  if (left.seen) reply.left = left.number;
  reply.lost_draw = lost_draw.seen && lost_draw.number == 1;
  return reply;
}

}  // namespace seckill
