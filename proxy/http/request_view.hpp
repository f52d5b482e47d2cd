// The RequestView of a parsed Beast request: what the Router sees of it.
//
// Pure and socket-free, so the HTTP session and the fuzz target of the whole request path build
// it the same way. Fields that may come on several lines are combined as HTTP says (RFC 9110
// 5.3): every X-Forwarded-For line joined by ", " (a balancer such as HAProxy adds its own line
// rather than extending the client's), every Cookie line by "; " (RFC 6265 5.4).
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "proxy/api/router.hpp"

namespace seckill::proxy {

/// Where combined field values live while the view is used (one line needs no copy).
struct CombinedFields {
  std::string cookie;
  std::string forwarded_for;
};

/// The view of `request` from `peer`; it borrows from `request`, `peer` and `storage`.
RequestView make_request_view(
    const boost::beast::http::request<boost::beast::http::string_body>& request,
    std::string_view peer, CombinedFields& storage);

}  // namespace seckill::proxy
