// libFuzzer target: JSON nesting against every JSON reader of seckill (wire requests, wire
// replies, configuration and products files). The input is a recipe rather than the text, so
// the fuzzer reaches nestings of hundreds of thousands of levels with a few bytes: the first
// two bytes give a repeat count (up to 2^16), the rest split at the first NUL into an opening
// and a middle; the text is the opening repeated, the middle, then the closing brackets in
// reverse. Deep text must be refused with an error, never crash or recurse.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/product.hpp"
#include "common/program/config_reader.hpp"
#include "common/wire.hpp"

namespace {

std::string closing_of(std::string_view opening) {
  std::string closing;
  for (auto it = opening.rbegin(); it != opening.rend(); ++it) {
    if (*it == '[') closing.push_back(']');
    if (*it == '{') closing.push_back('}');
  }
  return closing;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::size_t repeat = (static_cast<std::size_t>(data[0]) << 8 | data[1]) + 1;
  std::string_view recipe(reinterpret_cast<const char*>(data + 2), size - 2);
  const auto nul = recipe.find('\0');
  const std::string_view opening = recipe.substr(0, std::min<std::size_t>(nul, 16));
  const std::string_view middle = nul == std::string_view::npos ? "" : recipe.substr(nul + 1);
  if (opening.empty()) return 0;

  std::string text;
  text.reserve(repeat * opening.size() * 2 + middle.size());
  for (std::size_t i = 0; i < repeat; ++i) text += opening;
  text += middle;
  const std::string closing = closing_of(opening);
  for (std::size_t i = 0; i < repeat; ++i) text += closing;

  (void)seckill::decode_request(text);
  (void)seckill::decode_reply(text);
  try {
    (void)seckill::parse_json_text(text, "fuzz.json");
  } catch (const seckill::ConfigError&) {
  }
  try {
    (void)seckill::parse_products(text, "fuzz.json");
  } catch (const seckill::ConfigError&) {
  }
  return 0;
}
