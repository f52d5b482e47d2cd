// libFuzzer target: request parameter, form and cookie parsing, the buyer checks behind them,
// and the sale page's path check. Input: target, body and cookie separated by NUL bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proxy/api/request_params.hpp"
#include "proxy/purchase/purchase_gate.hpp"
#include "proxy/site/static_site.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto cut = [&input]() {
    auto nul = input.find('\0');
    std::string_view part = input.substr(0, nul);
    input = nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1);
    return part;
  };
  const std::string_view target = cut();
  const std::string_view body = cut();
  const std::string_view cookie = cut();
  auto params = seckill::proxy::RequestParams::parse(target, body, cookie);
  // A path the static site accepts can never step outside its folder.
  if (auto key = seckill::proxy::static_key(seckill::proxy::target_path(target))) {
    const std::string_view k = *key;
    if (!k.starts_with('/') || k.find("/../") != k.npos || k.find("/./") != k.npos ||
        k.find("//") != k.npos || k.ends_with("/..") || k.find('\\') != k.npos ||
        k.find('\0') != k.npos) {
      std::abort();
    }
  }
  static const seckill::TokenKeyring tokens = [] {
    seckill::TokenConfig config;
    config.keys = {{"a", "fuzz-key-a"}, {"b", "fuzz-key-b"}};
    config.sign_with = "b";
    return seckill::TokenKeyring(config, "fuzz-secret");
  }();
  (void)seckill::proxy::identify_buyer(params, tokens, 1'700'000'000);
  (void)seckill::proxy::required_id(params, "product_id");
  return 0;
}
