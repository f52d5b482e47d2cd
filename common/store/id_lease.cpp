#include "common/store/id_lease.hpp"

#include <cerrno>
#include <csignal>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include <glog/logging.h>

#include <unistd.h>

namespace seckill {
extern const std::string_view kIdLeaseScript;

namespace {

constexpr std::chrono::milliseconds kClaimRetry{100};
// A foreign lease is waited out for its lease time and this much more: one renewal late by a
// scheduling hiccup must not make a live holder look dead.
constexpr std::chrono::milliseconds kLapseMargin{500};

std::string first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Names the pid namespace this process lives in, across machines: the boot id is random per
// boot of a machine (and shared by its containers), the namespace's inode tells the containers
// of one machine apart. Two processes with equal namespace names see the same pids.
std::string pid_namespace() {
  std::string boot = first_line("/proc/sys/kernel/random/boot_id");
  char link[128] = {};
  const ssize_t length = readlink("/proc/self/ns/pid", link, sizeof link - 1);
  std::string ns = length > 0 ? std::string(link, static_cast<std::size_t>(length)) : "";
  // "pid:[4026531836]" -> "4026531836"
  std::string digits;
  for (char c : ns) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return boot.substr(0, 8) + "/" + digits;
}

std::string field(const std::string& holder, const std::string& name) {
  std::istringstream words(holder);
  std::string word;
  while (words >> word) {
    if (word.starts_with(name + "=")) return word.substr(name.size() + 1);
  }
  return {};
}

}  // namespace

std::string unique_holder_name() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::random_device random;
  char nonce[17];
  std::snprintf(nonce, sizeof nonce, "%08x%08x", random(), random());
  return std::string("host=") + host + " pid=" + std::to_string(getpid()) +
         " ns=" + pid_namespace() + " nonce=" + nonce;
}

std::string default_process_id() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string id;
  for (const char* c = host; *c != '\0' && id.size() < 40; ++c) {
    const bool safe = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9') || *c == '-' || *c == '.';
    id.push_back(safe ? *c : '-');
  }
  if (id.empty()) id = "seckill";
  std::random_device random;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", random() & 0xffffffU);
  return id + "-" + std::to_string(getpid()) + "-" + suffix;
}

bool holder_is_dead_here(const std::string& holder) {
  const std::string ns = field(holder, "ns");
  // Unknown on either side ("/..." or ".../"): never guess that a holder is dead.
  if (ns != pid_namespace() || ns.starts_with("/") || ns.ends_with("/")) return false;
  const std::string pid_text = field(holder, "pid");
  char* end = nullptr;
  const long pid = std::strtol(pid_text.c_str(), &end, 10);
  if (pid_text.empty() || *end != '\0' || pid <= 0 || pid == getpid()) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

IdLease::IdLease(std::string key, std::string what, std::chrono::milliseconds ttl)
    : key_(std::move(key)),
      what_(std::move(what)),
      ttl_(ttl),
      holder_(unique_holder_name()),
      script_(kIdLeaseScript) {}

int IdLease::try_take(RedisClient& redis, const std::string& replaceable) {
  auto reply = script_.run(
      redis, {.keys = {key_}, .args = {holder_, std::to_string(ttl_.count()), replaceable}});
  if (!reply || reply->is_error()) return -1;
  if (reply->is_integer()) return 1;
  other_holder_ = std::string(reply->str());
  return 0;
}

IdLease::Claim IdLease::claim(RedisClient& redis, std::chrono::milliseconds patience) {
  using Clock = std::chrono::steady_clock;
  const auto give_up_unreachable = Clock::now() + patience;
  std::optional<Clock::time_point> give_up_held;
  std::string replaceable;
  while (true) {
    const int taken = try_take(redis, replaceable);
    if (taken == 1) return Claim::kClaimed;
    const auto now = Clock::now();
    if (taken < 0) {
      if (now > give_up_unreachable) return Claim::kUnreachable;
    } else if (holder_is_dead_here(other_holder_)) {
      // A crashed earlier run of this id on this machine: take over at once.
      replaceable = other_holder_;
      continue;
    } else {
      if (!give_up_held) {
        LOG(WARNING) << what_ << " is leased by another process (" << other_holder_
                     << "); waiting up to " << (ttl_ + kLapseMargin).count()
                     << " ms for the lease to lapse";
        give_up_held = now + ttl_ + kLapseMargin;
      }
      if (now > *give_up_held) return Claim::kHeldByAnother;
    }
    std::this_thread::sleep_for(kClaimRetry);
  }
}

void IdLease::release(RedisClient& redis) {
  auto reply = script_.run(redis, {.keys = {key_}, .args = {holder_, "0", ""}});
  if (!reply || reply->is_error()) LOG(WARNING) << what_ << ": could not give the lease up";
}

IdLease::Renewal IdLease::renew(RedisClient& redis) {
  const int taken = try_take(redis, "");
  if (taken == 1) return Renewal::kRenewed;
  return taken == 0 ? Renewal::kLost : Renewal::kUnreachable;
}

}  // namespace seckill
