// Runs the invariant audit (the same checks as `seckill-admin audit`) after a benchmark run.
#pragma once

#include <string>

#include "tools/bench/report/bench_result.hpp"

namespace seckill::bench {

AuditSummary run_audit(const std::string& redis_address);

}  // namespace seckill::bench
