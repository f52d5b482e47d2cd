// ConfigReader: reads one JSON object of a configuration file into plain structs.
//
// Every key a program understands is read through one of the read_* calls, which check the type
// and the range and name the key in the error (`redis.port: must be an integer in 1..65535`).
// finish() then rejects any key nobody read, so a typo in a config file is an error rather than a
// silently ignored setting. Errors are ConfigError exceptions: they only happen at startup, and
// every main turns them into exit code 2.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>

#include <rapidjson/document.h>

namespace seckill {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ConfigReader {
 public:
  /// `path` is the dotted name of `object` inside the document ("" at the top).
  ConfigReader(const rapidjson::Value& object, std::string path);

  void read_int(const char* key, std::int64_t& out, std::int64_t min, std::int64_t max);
  void read_int(const char* key, int& out, int min, int max);
  void read_double(const char* key, double& out, double min, double max);
  void read_bool(const char* key, bool& out);
  void read_string(const char* key, std::string& out, bool allow_empty = true);
  /// A duration given as a whole number of `Duration`'s unit (the key's name says which: "_ms",
  /// "_us"), between `min` and `max` of them.
  template <class Duration>
  void read_duration(const char* key, Duration& out, std::int64_t min, std::int64_t max) {
    std::int64_t count = out.count();
    read_int(key, count, min, max);
    out = Duration(count);
  }

  /// Whether `key` is present (for fields read by hand).
  bool has(const char* key) const;
  /// The raw value of a present key; marks it read.
  const rapidjson::Value& take(const char* key);
  /// A nested object; absent keys give an empty object. Marks the key read.
  ConfigReader object(const char* key);

  /// Fails on the first key that no read_* call asked for.
  void finish() const;

  /// Dotted name of `key` under this object, for error messages.
  std::string name(const char* key) const;

 private:
  const rapidjson::Value* find(const char* key);

  const rapidjson::Value& object_;
  std::string path_;
  std::set<std::string> seen_;
};

/// Bounds of a configuration or products file: larger or deeper is refused (ConfigError).
inline constexpr std::size_t kMaxConfigBytes = 64 * 1024 * 1024;
inline constexpr int kMaxConfigDepth = 64;

/// The whole content of a file; throws ConfigError when it cannot be read.
std::string read_text_file(const std::string& file);

/// `path` as written in `config_file`: a relative one is taken from the config file's folder,
/// so a program finds it whatever its working directory. An empty or absolute path is kept.
std::string path_beside_config(const std::string& config_file, const std::string& path);

/// A secret kept in a file of its own (so the config file may be public): its content without
/// the trailing newline. Throws ConfigError naming `key` when it cannot be read or is empty.
std::string read_secret_file(const std::string& file, const std::string& key);

/// Parses a whole JSON document from a file; throws ConfigError naming the file and the offset.
rapidjson::Document parse_json_file(const std::string& file);

/// Parses a JSON document from text; throws ConfigError naming `what` and the offset.
rapidjson::Document parse_json_text(const std::string& text, const std::string& what);

}  // namespace seckill
