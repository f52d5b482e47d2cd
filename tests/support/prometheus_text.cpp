#include "tests/support/prometheus_text.hpp"

#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

namespace seckill::test {
namespace {

const std::regex kHelp(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
const std::regex kType(
    R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
const std::regex kSample(
    R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? (\S+)$)");

std::string family_of(const std::string& name, const std::set<std::string>& histograms) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.ends_with(s)) {
      std::string base = name.substr(0, name.size() - s.size());
      if (histograms.contains(base)) return base;
    }
  }
  return name;
}

}  // namespace

PrometheusPage parse_prometheus_text(const std::string& text) {
  PrometheusPage page;
  std::set<std::string> typed, histograms;
  std::map<std::string, double> last_bucket;  // histogram series -> last cumulative value
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::smatch match;
    const std::string where = "line " + std::to_string(number) + ": " + line;
    if (line.empty()) continue;
    if (std::regex_match(line, match, kHelp)) continue;
    if (std::regex_match(line, match, kType)) {
      typed.insert(match[1]);
      if (match[2] == "histogram") histograms.insert(match[1]);
      continue;
    }
    if (!std::regex_match(line, match, kSample)) {
      page.errors.push_back("malformed " + where);
      continue;
    }
    const std::string name = match[1];
    const std::string labels = match[2];
    const std::string value_text = match[4];
    char* end = nullptr;
    const double value = std::strtod(value_text.c_str(), &end);
    if (end == value_text.c_str() || *end != '\0') page.errors.push_back("bad value " + where);
    if (!typed.contains(family_of(name, histograms))) page.errors.push_back("untyped " + where);
    if (name.ends_with("_bucket")) {
      // Buckets of one series must not decrease; the series key is the labels without le.
      const std::string series =
          name + std::regex_replace(labels, std::regex(R"(,?le="[^"]*")"), "");
      if (last_bucket.contains(series) && value < last_bucket[series]) {
        page.errors.push_back("decreasing bucket " + where);
      }
      last_bucket[series] = value;
    }
    page.samples[name + labels] = value;
  }
  return page;
}

}  // namespace seckill::test
