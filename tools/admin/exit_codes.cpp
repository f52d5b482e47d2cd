#include "tools/admin/exit_codes.hpp"

#include <iostream>

namespace seckill::admin {

int usage_error(const std::string& message) {
  std::cerr << "seckill-admin: " << message << "\n(seckill-admin --help lists the commands)\n";
  return kExitUsage;
}

int redis_error(const Error& error) {
  std::cerr << "seckill-admin: redis: " << error.message << "\n";
  return kExitUnreachable;
}

}  // namespace seckill::admin
