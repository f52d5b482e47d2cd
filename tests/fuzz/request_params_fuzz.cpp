// libFuzzer target: request parameter, form and cookie parsing, and the buyer checks behind
// them. Input: target, body and cookie separated by NUL bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proxy/purchase_gate.hpp"
#include "proxy/request_params.hpp"

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
  (void)seckill::proxy::target_path(target);
  (void)seckill::proxy::identify_buyer(params, "fuzz-secret");
  (void)seckill::proxy::required_id(params, "product_id");
  return 0;
}
