#include "tests/support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <stdlib.h>

namespace seckill::test {

TempDir::TempDir() {
  std::string pattern = "/tmp/seckill-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  std::string full = file(name);
  std::ofstream out(full, std::ios::binary | std::ios::trunc);
  out << content;
  return full;
}

}  // namespace seckill::test
