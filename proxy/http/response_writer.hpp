// Formats an HTTP/1.x response head by hand: the proxy sends only a few fixed headers, and a
// hand-built head costs a fraction of a general serializer on the hot path. Pure; unit tested.
#pragma once

#include <string>
#include <string_view>

namespace seckill::proxy {

/// The response head (status line and headers, ending in an empty line) for a body of
/// `body_size` bytes of `content_type`. `http_minor` is the request's HTTP minor version (0 or 1);
/// `keep_alive` says whether the connection stays open, spelled out the way that version needs it.
/// `extra_headers` are further header lines, each already ending in CRLF.
std::string format_response_head(int status, std::size_t body_size, int http_minor, bool keep_alive,
                                 std::string_view content_type = "application/json",
                                 std::string_view cache_control = "no-store",
                                 std::string_view extra_headers = {});

/// Appends format_response_head(...) to `out`: a connection reuses one buffer for every answer.
void append_response_head(std::string& out, int status, std::size_t body_size, int http_minor,
                          bool keep_alive, std::string_view content_type,
                          std::string_view cache_control, std::string_view extra_headers);

/// The reason phrase of a status code we send ("OK", "Bad Request", ...).
std::string_view reason_phrase(int status);

}  // namespace seckill::proxy
