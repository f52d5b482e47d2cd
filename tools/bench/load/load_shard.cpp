#include "tools/bench/load/load_shard.hpp"

#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tools/bench/load/response_parser.hpp"

namespace seckill::bench {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

SharedLoad::NextRequest SharedLoad::next_request_to_send() {
  if (stopping.load(std::memory_order_relaxed)) return {};
  const std::uint64_t n = next_request.fetch_add(1, std::memory_order_relaxed);
  if (options.max_requests != 0 && n >= options.max_requests) {
    stopping = true;
    return {};
  }
  NextRequest next{&requests[n % requests.size()], {}};
  if (schedule.open_loop()) {
    next.due = schedule.due(n);
    // Due after the run's end: the run offered what it had to offer.
    if (next.due >= started + options.duration) {
      stopping = true;
      return {};
    }
  }
  return next;
}

namespace {
// Room for one answer of any size the proxy sends on these paths; grown if one is bigger.
constexpr std::size_t kReadChunk = 4096;
// An open-loop request sent later than this after its due time counts as sent late: there were
// not enough free connections (or generator CPU) to offer the rate asked for.
constexpr auto kLateSend = std::chrono::milliseconds(1);
}  // namespace

class LoadShard::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, tcp::endpoint endpoint, SharedLoad& shared,
             BenchCounters& counters)
      : socket_(ioc), timer_(ioc), endpoint_(endpoint), shared_(shared), counters_(counters) {}

  void start() {
    socket_.async_connect(endpoint_, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->fail();
      self->socket_.set_option(tcp::no_delay(true), ec);
      self->send();
    });
  }

 private:
  void send() {
    const SharedLoad::NextRequest next = shared_.next_request_to_send();
    request_ = next.text;
    if (request_ == nullptr) return close();
    const auto now = Clock::now();
    if (!shared_.schedule.open_loop()) {
      due_at_ = now;
      return write();
    }
    due_at_ = next.due;
    if (now >= due_at_) {
      if (now - due_at_ > kLateSend) ++counters_.late_sends;
      return write();
    }
    timer_.expires_at(due_at_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->write();
    });
  }

  void write() {
    net::async_write(socket_, net::buffer(*request_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec) return self->fail();
                       self->read();
                     });
  }

  void read() {
    // Sized once and grown only for an answer bigger than the room left: no zero-filling of
    // fresh space on every read, as a resize per read would do.
    if (buffer_.size() - filled_ < kReadChunk) buffer_.resize(filled_ + kReadChunk);
    socket_.async_read_some(
        net::buffer(buffer_.data() + filled_, buffer_.size() - filled_),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          self->filled_ += n;
          if (ec) return self->fail();
          self->on_data();
        });
  }

  void on_data() {
    auto response = parse_response(std::string_view(buffer_.data(), filled_));
    if (!response) return read();
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - due_at_);
    counters_.latency.record(static_cast<std::uint64_t>(micros.count()));
    ++counters_.statuses[response->status];
    ++counters_.codes[response->code];
    if (response->code == 0 && !shared_.options.path.starts_with("/healthz")) {
      counters_.last_purchase_us =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - shared_.started)
              .count();
    }
    if (response->code == 1001 && shared_.options.stop_when_sold_out) shared_.stopping = true;
    // Closed loop: an answer never comes with bytes of the next one, except when the server
    // misbehaves; keep whatever follows all the same.
    std::memmove(buffer_.data(), buffer_.data() + response->size, filled_ - response->size);
    filled_ -= response->size;
    if (response->status == 0 || !response->keep_alive) return fail();
    send();
  }

  void fail() {
    ++counters_.transport_errors;
    boost::system::error_code ignored;
    socket_.close(ignored);
    filled_ = 0;
    if (shared_.stopping.load(std::memory_order_relaxed)) return;
    // Reconnect, after a pause so a refusing server is not hammered: a closed connection must
    // not silently shrink the offered load.
    socket_ = tcp::socket(socket_.get_executor());
    timer_.expires_after(std::chrono::milliseconds(10));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->start();
    });
  }

  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer timer_;  // an open-loop request's due time, or the pause before a reconnect
  tcp::endpoint endpoint_;
  SharedLoad& shared_;
  BenchCounters& counters_;
  const std::string* request_ = nullptr;
  std::vector<char> buffer_;
  std::size_t filled_ = 0;  // bytes of buffer_ read and not yet parsed
  // Latency counts from here: the send (closed loop) or the due time (open loop).
  Clock::time_point due_at_;
};

LoadShard::LoadShard(SharedLoad& shared, int connections, int first_connection_index)
    : shared_(shared) {
  for (const auto& target : shared.options.targets) {
    endpoints_.emplace_back(net::ip::make_address(target.host), target.port);
  }
  for (int i = 0; i < connections; ++i) {
    const auto& endpoint =
        endpoints_[static_cast<std::size_t>(first_connection_index + i) % endpoints_.size()];
    connections_.push_back(std::make_shared<Connection>(ioc_, endpoint, shared_, counters_));
  }
}

void LoadShard::stop() {
  ioc_.stop();
}

void LoadShard::run() {
  for (auto& connection : connections_) connection->start();
  connections_.clear();  // each connection keeps itself alive through its pending operation
  ioc_.run();
}

}  // namespace seckill::bench
