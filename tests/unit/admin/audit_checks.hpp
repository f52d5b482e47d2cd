// What the audit tests ask of an audit's result.
#pragma once

#include <string>

#include "tools/admin/audit/audit.hpp"

namespace seckill::admin {

/// Some breach line of `result` mentions `text`.
inline bool breach_mentions(const AuditResult& result, const std::string& text) {
  for (const auto& line : result.breaches) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace seckill::admin
