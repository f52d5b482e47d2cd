#include "common/program/config_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace seckill {
namespace {

const rapidjson::Value& empty_object() {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

}  // namespace

ConfigReader::ConfigReader(const rapidjson::Value& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.IsObject()) {
    throw ConfigError((path_.empty() ? std::string("document") : path_) + ": must be an object");
  }
}

std::string ConfigReader::name(const char* key) const {
  return path_.empty() ? std::string(key) : path_ + "." + key;
}

const rapidjson::Value* ConfigReader::find(const char* key) {
  seen_.insert(key);
  auto it = object_.FindMember(key);
  return it == object_.MemberEnd() ? nullptr : &it->value;
}

bool ConfigReader::has(const char* key) const {
  return object_.HasMember(key);
}

const rapidjson::Value& ConfigReader::take(const char* key) {
  const rapidjson::Value* value = find(key);
  if (value == nullptr) throw ConfigError(name(key) + ": is required");
  return *value;
}

void ConfigReader::read_int(const char* key, std::int64_t& out, std::int64_t min,
                            std::int64_t max) {
  const rapidjson::Value* value = find(key);
  if (value == nullptr) return;
  if (!value->IsInt64() || value->GetInt64() < min || value->GetInt64() > max) {
    throw ConfigError(name(key) + ": must be an integer in " + std::to_string(min) + ".." +
                      std::to_string(max));
  }
  out = value->GetInt64();
}

void ConfigReader::read_int(const char* key, int& out, int min, int max) {
  std::int64_t wide = out;
  read_int(key, wide, min, max);
  out = static_cast<int>(wide);
}

void ConfigReader::read_double(const char* key, double& out, double min, double max) {
  const rapidjson::Value* value = find(key);
  if (value == nullptr) return;
  if (!value->IsNumber() || value->GetDouble() < min || value->GetDouble() > max) {
    std::ostringstream message;
    message << name(key) << ": must be a number in " << min << ".." << max;
    throw ConfigError(message.str());
  }
  out = value->GetDouble();
}

void ConfigReader::read_bool(const char* key, bool& out) {
  const rapidjson::Value* value = find(key);
  if (value == nullptr) return;
  if (!value->IsBool()) throw ConfigError(name(key) + ": must be true or false");
  out = value->GetBool();
}

void ConfigReader::read_string(const char* key, std::string& out, bool allow_empty) {
  const rapidjson::Value* value = find(key);
  if (value == nullptr) return;
  if (!value->IsString()) throw ConfigError(name(key) + ": must be a string");
  if (!allow_empty && value->GetStringLength() == 0) {
    throw ConfigError(name(key) + ": must not be empty");
  }
  out.assign(value->GetString(), value->GetStringLength());
}

ConfigReader ConfigReader::object(const char* key) {
  const rapidjson::Value* value = find(key);
  return ConfigReader(value ? *value : empty_object(), name(key));
}

void ConfigReader::finish() const {
  for (auto it = object_.MemberBegin(); it != object_.MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    if (!seen_.contains(key)) throw ConfigError(name(key.c_str()) + ": unknown key");
  }
}

namespace {

// Counts nesting while a non-recursive parse reads the text, and stops it past the limit.
class DepthCheck : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DepthCheck> {
 public:
  bool StartObject() { return open(); }
  bool StartArray() { return open(); }
  bool EndObject(rapidjson::SizeType /*members*/) { return close(); }
  bool EndArray(rapidjson::SizeType /*elements*/) { return close(); }
  bool too_deep() const { return too_deep_; }

 private:
  bool open() {
    too_deep_ = ++depth_ > kMaxConfigDepth;
    return !too_deep_;
  }
  bool close() {
    --depth_;
    return true;
  }
  int depth_ = 0;
  bool too_deep_ = false;
};

// "line L, column C" (both from 1) of a byte offset, as an editor shows it.
std::string line_and_column(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

}  // namespace

rapidjson::Document parse_json_text(const std::string& text, const std::string& what) {
  if (text.size() > kMaxConfigBytes) {
    throw ConfigError(what + ": larger than " + std::to_string(kMaxConfigBytes) + " bytes");
  }
  // Both parses are iterative, and the depth is checked before a DOM is built: the recursive
  // parser, and a DOM's recursive destructor, would overflow the stack on deep nesting.
  DepthCheck depth;
  rapidjson::Reader reader;
  rapidjson::MemoryStream bytes(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(bytes);
  reader.Parse<rapidjson::kParseIterativeFlag>(stream, depth);
  if (depth.too_deep()) {
    throw ConfigError(what + ": nested deeper than " + std::to_string(kMaxConfigDepth) +
                      " levels at " + line_and_column(text, reader.GetErrorOffset()));
  }
  rapidjson::Document document;
  document.Parse<rapidjson::kParseIterativeFlag>(text.c_str(), text.size());
  if (document.HasParseError()) {
    throw ConfigError(what + ": invalid JSON at " +
                      line_and_column(text, document.GetErrorOffset()) + ": " +
                      rapidjson::GetParseError_En(document.GetParseError()));
  }
  return document;
}

std::string path_beside_config(const std::string& config_file, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(config_file).parent_path() / path).lexically_normal();
}

std::string read_secret_file(const std::string& file, const std::string& key) {
  std::string text;
  try {
    text = read_text_file(file);
  } catch (const ConfigError& error) {
    throw ConfigError(key + ": " + error.what());
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.empty()) throw ConfigError(key + ": " + file + ": empty");
  return text;
}

std::string read_text_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rapidjson::Document parse_json_file(const std::string& file) {
  return parse_json_text(read_text_file(file), file);
}

}  // namespace seckill
