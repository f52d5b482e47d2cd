// A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must
// be a well-formed HELP, TYPE or sample line, every sample's family must have been TYPEd, and
// histogram buckets must be cumulative and end in +Inf == _count.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace seckill::test {

struct PrometheusPage {
  std::map<std::string, double> samples;  // "name{labels}" exactly as written -> value
  std::vector<std::string> errors;        // one line each; empty when the page is valid
};

PrometheusPage parse_prometheus_text(const std::string& text);

}  // namespace seckill::test
