#include "proxy/http/request_view.hpp"

#include <iterator>

#include "proxy/payments/payment_notice.hpp"

namespace seckill::proxy {
namespace {

namespace http = boost::beast::http;

std::string_view view_of(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

// The value of every `name` line of `request` as one: the only line's value as it is, or all
// of them joined by `separator` into `storage`.
template <class Name>
std::string_view combined_field(const http::request<http::string_body>& request, Name name,
                                std::string_view separator, std::string& storage) {
  auto [first, last] = request.equal_range(name);
  if (first == last) return {};
  if (std::next(first) == last) return view_of(first->value());
  storage.clear();
  for (auto it = first; it != last; ++it) {
    if (!storage.empty()) storage += separator;
    storage += view_of(it->value());
  }
  return storage;
}

}  // namespace

RequestView make_request_view(const http::request<http::string_body>& request,
                              std::string_view peer, CombinedFields& storage) {
  return RequestView{
      .method = view_of(request.method_string()),
      .target = view_of(request.target()),
      .content_type = view_of(request[http::field::content_type]),
      .body = request.body(),
      .cookie = combined_field(request, http::field::cookie, "; ", storage.cookie),
      .peer = peer,
      .forwarded_for = combined_field(request, "X-Forwarded-For", ", ", storage.forwarded_for),
      .if_none_match = view_of(request[http::field::if_none_match]),
      .payment_signature = view_of(request[kSignatureHeader]),
      .payment_timestamp = view_of(request[kTimestampHeader]),
  };
}

}  // namespace seckill::proxy
