#include "common/program/flags.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace seckill {
namespace {

std::string dashed(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

template <typename Integer>
bool parse_integer(std::string_view text, Integer& out) {
  Integer value{};
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) return false;
  out = value;
  return true;
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

}  // namespace

Flags& Flags::add_flag(Flag flag) {
  flags_.push_back(std::move(flag));
  return *this;
}

Flags& Flags::add(std::string name, std::string& value, std::string help, std::string value_name) {
  return add_flag({dashed(name), std::move(value_name), std::move(help),
                   value.empty() ? "" : quoted(value), [&value](std::string_view text) {
                     value = std::string(text);
                     return true;
                   }});
}

Flags& Flags::add(std::string name, bool& value, std::string help) {
  return add_flag(
      {dashed(name), "", std::move(help), value ? "on" : "", [&value](std::string_view text) {
         if (text == "true" || text == "1" || text == "yes" || text == "on") {
           value = true;
         } else if (text == "false" || text == "0" || text == "no" || text == "off") {
           value = false;
         } else {
           return false;
         }
         return true;
       }});
}

Flags& Flags::add(std::string name, int& value, std::string help) {
  return add_flag({dashed(name), "N", std::move(help), std::to_string(value),
                   [&value](std::string_view text) { return parse_integer(text, value); }});
}

Flags& Flags::add(std::string name, std::int64_t& value, std::string help) {
  return add_flag({dashed(name), "N", std::move(help), std::to_string(value),
                   [&value](std::string_view text) { return parse_integer(text, value); }});
}

Flags& Flags::add(std::string name, double& value, std::string help) {
  std::string shown = std::to_string(value);
  // 10.000000 -> 10, 0.500000 -> 0.5
  shown.erase(shown.find_last_not_of('0') + 1);
  if (!shown.empty() && shown.back() == '.') shown.pop_back();
  return add_flag({dashed(name), "X", std::move(help), shown, [&value](std::string_view text) {
                     double parsed = 0;
                     const char* end = text.data() + text.size();
                     auto [stop, error] = std::from_chars(text.data(), end, parsed);
                     if (error != std::errc() || stop != end) return false;
                     value = parsed;
                     return true;
                   }});
}

Flags::Flag* Flags::find(std::string_view name) {
  const std::string wanted = dashed(name);
  for (auto& flag : flags_) {
    if (flag.name == wanted) return &flag;
  }
  return nullptr;
}

bool Flags::given(std::string_view name) const {
  const std::string wanted = dashed(name);
  return std::any_of(flags_.begin(), flags_.end(),
                     [&](const Flag& flag) { return flag.name == wanted && flag.given; });
}

std::vector<std::string> Flags::parse(const std::vector<std::string>& args) {
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    // Arguments, not flags: "x", "-", and negative numbers such as "-3".
    const bool dashes = arg.size() > 2 && arg.starts_with("--");
    const bool single = arg.size() > 1 && arg[0] == '-' && !dashes &&
                        !std::isdigit(static_cast<unsigned char>(arg[1]));
    if (!dashes && !single) {
      rest.push_back(arg);
      continue;
    }
    if (single) throw FlagError("unknown flag " + arg + " (flags are written --name)");
    std::string_view body = std::string_view(arg).substr(2);
    const std::size_t equals = body.find('=');
    const std::string_view name = body.substr(0, equals);
    Flag* flag = find(name);
    bool negated = false;
    if (flag == nullptr && name.starts_with("no-") && equals == std::string_view::npos) {
      flag = find(name.substr(3));
      negated = flag != nullptr && flag->value_name.empty();
      if (!negated) flag = nullptr;
    }
    if (flag == nullptr) throw FlagError("unknown flag --" + dashed(name));
    std::string value;
    if (equals != std::string_view::npos) {
      value = std::string(body.substr(equals + 1));
    } else if (flag->value_name.empty()) {
      value = negated ? "false" : "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      throw FlagError("--" + flag->name + ": missing its value (" + flag->value_name + ")");
    }
    if (!flag->set(value)) {
      const std::string expected = flag->value_name == "N"    ? "an integer"
                                   : flag->value_name == "X"  ? "a number"
                                   : flag->value_name.empty() ? "true or false"
                                                              : "text";
      throw FlagError("--" + flag->name + ": expects " + expected + ", got \"" + value + "\"");
    }
    flag->given = true;
  }
  return rest;
}

std::string Flags::help() const {
  std::string out;
  for (const auto& flag : flags_) {
    out += "  --" + flag.name;
    if (!flag.value_name.empty()) out += " " + flag.value_name;
    out += "\n      " + flag.help;
    if (!flag.default_text.empty()) out += " (default " + flag.default_text + ")";
    out += "\n";
  }
  return out;
}

}  // namespace seckill
