#include "common/base/status.hpp"

#include <array>

namespace seckill {
namespace {

struct CodeInfo {
  Code code;
  int http;
  std::string_view message;
};

constexpr std::array kCodeTable{
    CodeInfo{Code::kPurchased, 200, "purchased"},
    CodeInfo{Code::kSoldOut, 200, "sold out"},
    CodeInfo{Code::kLimitReached, 200, "per-user limit reached"},
    CodeInfo{Code::kNotStarted, 200, "sale not started"},
    CodeInfo{Code::kEnded, 200, "sale ended"},
    CodeInfo{Code::kTryLater, 200, "try again later"},
    CodeInfo{Code::kNoOrder, 200, "no order for this user and product"},
    CodeInfo{Code::kPaused, 200, "sale paused"},
    CodeInfo{Code::kNotOnList, 200, "not on the list for this sale"},
    CodeInfo{Code::kBadRequest, 400, "bad request"},
    CodeInfo{Code::kBadToken, 401, "bad or missing token"},
    CodeInfo{Code::kBlocked, 403, "blocked"},
    CodeInfo{Code::kNotFound, 404, "not found"},
    CodeInfo{Code::kChallengeFailed, 403, "challenge missing or invalid"},
    CodeInfo{Code::kRateLimited, 429, "rate limited"},
    CodeInfo{Code::kUnavailable, 503, "service unavailable, try again"},
    CodeInfo{Code::kTimeout, 504, "no decision in time: outcome unknown, ask /result"},
};

const CodeInfo* find(Code code) {
  for (const auto& info : kCodeTable) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

}  // namespace

int http_status(Code code) {
  const CodeInfo* info = find(code);
  return info ? info->http : 500;
}

std::string_view default_message(Code code) {
  const CodeInfo* info = find(code);
  return info ? info->message : "internal error";
}

std::optional<Code> code_from_int(long long value) {
  for (const auto& info : kCodeTable) {
    if (static_cast<long long>(info.code) == value) return info.code;
  }
  return std::nullopt;
}

}  // namespace seckill
