#include "proxy/guard/ban_ledger.hpp"

#include <iterator>

namespace seckill::proxy {

void BanLedger::record(BanRecord ban) {
  std::lock_guard lock(mutex_);
  records_.push_back(std::move(ban));
  trim();
}

std::vector<BanRecord> BanLedger::take() {
  std::lock_guard lock(mutex_);
  std::vector<BanRecord> taken(std::make_move_iterator(records_.begin()),
                               std::make_move_iterator(records_.end()));
  records_.clear();
  return taken;
}

void BanLedger::put_back(std::vector<BanRecord> bans) {
  std::lock_guard lock(mutex_);
  records_.insert(records_.begin(), std::make_move_iterator(bans.begin()),
                  std::make_move_iterator(bans.end()));
  trim();
}

std::uint64_t BanLedger::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void BanLedger::trim() {
  while (records_.size() > capacity_) {
    records_.pop_front();
    ++dropped_;
  }
}

}  // namespace seckill::proxy
