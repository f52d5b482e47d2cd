#include "common/token/token_config.hpp"

#include <algorithm>
#include <cstdlib>

#include "common/token/token.hpp"

namespace seckill {
namespace {

bool valid_key_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxTokenKeyIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

bool has_key(const std::vector<std::pair<std::string, std::string>>& list, std::string_view id) {
  return std::any_of(list.begin(), list.end(),
                     [id](const auto& entry) { return entry.first == id; });
}

// An object of key id -> non-empty string, in the file's order.
void read_key_map(ConfigReader& reader, const char* key,
                  std::vector<std::pair<std::string, std::string>>& out) {
  if (!reader.has(key)) return;
  const rapidjson::Value& map = reader.take(key);
  if (!map.IsObject())
    throw ConfigError(reader.name(key) + ": must be an object of key id -> string");
  out.clear();
  for (auto member = map.MemberBegin(); member != map.MemberEnd(); ++member) {
    const std::string id(member->name.GetString(), member->name.GetStringLength());
    const std::string where = reader.name(key) + "." + id;
    if (!valid_key_id(id)) {
      throw ConfigError(where + ": a key id is 1..32 letters, digits, '-' or '_'");
    }
    if (!member->value.IsString() || member->value.GetStringLength() == 0) {
      throw ConfigError(where + ": must be a non-empty string");
    }
    if (has_key(out, id)) throw ConfigError(where + ": named twice");
    out.emplace_back(id, std::string(member->value.GetString(), member->value.GetStringLength()));
  }
}

}  // namespace

void read_token_config(ConfigReader reader, TokenConfig& tokens, const std::string& config_file) {
  read_key_map(reader, "keys", tokens.keys);
  read_key_map(reader, "key_files", tokens.key_files);
  for (auto& [id, file] : tokens.key_files) {
    if (has_key(tokens.keys, id)) {
      throw ConfigError(reader.name("key_files") + "." + id + ": also in " + reader.name("keys"));
    }
    file = path_beside_config(config_file, file);
  }
  reader.read_string("sign_with", tokens.sign_with);
  reader.read_bool("accept_v1", tokens.accept_v1);
  // At most a year: a token is a sign-in, and a leaked one should not work for ever.
  reader.read_int("lifetime_s", tokens.lifetime_s, 60, 366 * 86400);
  reader.finish();
}

void finalize_token_config(TokenConfig& tokens, const std::string& v1_secret) {
  for (const auto& [id, file] : tokens.key_files) {
    tokens.keys.emplace_back(id, read_secret_file(file, "tokens.key_files." + id));
  }
  tokens.key_files.clear();
  if (tokens.keys.empty()) {
    if (v1_secret.empty()) {
      throw ConfigError(
          "secret: must be set (SECKILL_SECRET, secret_file or secret), or tokens.keys");
    }
    tokens.keys.emplace_back(kDefaultTokenKeyId, v1_secret);
  }
  if (tokens.sign_with.empty()) {
    if (tokens.keys.size() > 1) {
      throw ConfigError("tokens.sign_with: must name the key new tokens are signed with");
    }
    tokens.sign_with = tokens.keys.front().first;
  } else if (!has_key(tokens.keys, tokens.sign_with)) {
    throw ConfigError("tokens.sign_with: \"" + tokens.sign_with + "\" is not in tokens.keys");
  }
  if (tokens.accept_v1 && v1_secret.empty()) {
    throw ConfigError(
        "tokens.accept_v1: v1 tokens are checked with the top-level secret, which is not set: "
        "set it or turn accept_v1 off");
  }
}

std::string token_secret_of_proxy_config(const rapidjson::Value& document,
                                         const std::string& config_file) {
  if (const char* secret = std::getenv("SECKILL_SECRET"); secret != nullptr && *secret != '\0') {
    return secret;
  }
  if (!document.IsObject()) return "";
  if (document.HasMember("secret_file") && document["secret_file"].IsString() &&
      document["secret_file"].GetStringLength() > 0) {
    return read_secret_file(path_beside_config(config_file, document["secret_file"].GetString()),
                            config_file + ": secret_file");
  }
  if (document.HasMember("secret") && document["secret"].IsString()) {
    return document["secret"].GetString();
  }
  return "";
}

TokenKeyring token_keyring_of_proxy_config(const rapidjson::Value& document,
                                           const std::string& config_file) {
  const std::string secret = token_secret_of_proxy_config(document, config_file);
  TokenConfig tokens;
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const bool has_tokens = document.IsObject() && document.HasMember("tokens");
  try {
    read_token_config(ConfigReader(has_tokens ? document["tokens"] : kEmpty, "tokens"), tokens,
                      config_file);
    finalize_token_config(tokens, secret);
  } catch (const ConfigError& error) {
    throw ConfigError(config_file + ": " + error.what());
  }
  return TokenKeyring(tokens, secret);
}

}  // namespace seckill
