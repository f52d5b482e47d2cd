// Command-line flags as the README writes them: `--proxy-id ID` or `--proxy-id=ID`, typed, each
// with its default and help. A flag that is unknown, lacks its value or has a value of the wrong
// type is an error naming it, so a typo never starts a program with a default the operator did
// not mean (the programs exit 2 on it).
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seckill {

class FlagError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Flags {
 public:
  /// Each add() binds a flag to a variable; the variable's value when added is the default.
  /// Names are written dashed ("proxy-id"); "--proxy_id" is accepted too.
  /// `value_name` is how --help shows the value: FILE, HOST:PORT, ...
  Flags& add(std::string name, std::string& value, std::string help,
             std::string value_name = "TEXT");
  Flags& add(std::string name, bool& value, std::string help);
  Flags& add(std::string name, int& value, std::string help);
  Flags& add(std::string name, std::int64_t& value, std::string help);
  Flags& add(std::string name, double& value, std::string help);

  /// Sets the flags found in args and returns the other arguments, in order. "--" ends the
  /// flags; "-5" is an argument, not a flag. Throws FlagError naming the flag at fault.
  std::vector<std::string> parse(const std::vector<std::string>& args);

  /// Whether the command line set this flag (its value may still equal the default).
  bool given(std::string_view name) const;

  /// One paragraph per flag: "--name VALUE" (or "--name" for a switch), its help, its default
  /// (a switch shows one only when it is on).
  std::string help() const;

 private:
  struct Flag {
    std::string name;
    std::string value_name;  // shown in help: N, TEXT, ...; empty for a switch
    std::string help;
    std::string default_text;
    std::function<bool(std::string_view)> set;  // false: the text is not of the flag's type
    bool given = false;
  };
  Flags& add_flag(Flag flag);
  Flag* find(std::string_view name);

  std::vector<Flag> flags_;
};

}  // namespace seckill
