#include "tools/bench/load_shard.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tools/bench/response_parser.hpp"

namespace seckill::bench {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string SharedLoad::next_request_text() {
  if (stopping.load(std::memory_order_relaxed)) return {};
  const std::uint64_t n = next_request.fetch_add(1, std::memory_order_relaxed);
  if (options.max_requests != 0 && n >= options.max_requests) {
    stopping = true;
    return {};
  }
  return requests[n % requests.size()];
}

class LoadShard::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, tcp::endpoint endpoint, SharedLoad& shared,
             BenchCounters& counters)
      : socket_(ioc),
        retry_timer_(ioc),
        endpoint_(endpoint),
        shared_(shared),
        counters_(counters) {}

  void start() {
    socket_.async_connect(endpoint_, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->fail();
      self->socket_.set_option(tcp::no_delay(true), ec);
      self->send();
    });
  }

 private:
  void send() {
    request_ = shared_.next_request_text();
    if (request_.empty()) return close();
    sent_at_ = Clock::now();
    net::async_write(socket_, net::buffer(request_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec) return self->fail();
                       self->read();
                     });
  }

  void read() {
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + 4096);
    socket_.async_read_some(
        net::buffer(buffer_.data() + old_size, 4096),
        [self = shared_from_this(), old_size](boost::system::error_code ec, std::size_t n) {
          self->buffer_.resize(old_size + n);
          if (ec) return self->fail();
          self->on_data();
        });
  }

  void on_data() {
    auto response = parse_response(buffer_);
    if (!response) return read();
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent_at_);
    counters_.latency.record(static_cast<std::uint64_t>(micros.count()));
    ++counters_.statuses[response->status];
    ++counters_.codes[response->code];
    if (response->code == 0 && !shared_.options.path.starts_with("/healthz")) {
      counters_.last_purchase_us =
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - shared_.started)
              .count();
    }
    if (response->code == 1001 && shared_.options.stop_when_sold_out) shared_.stopping = true;
    buffer_.erase(0, response->size);
    if (response->status == 0 || !response->keep_alive) return fail();
    send();
  }

  void fail() {
    ++counters_.transport_errors;
    boost::system::error_code ignored;
    socket_.close(ignored);
    buffer_.clear();
    if (shared_.stopping.load(std::memory_order_relaxed)) return;
    // Reconnect, after a pause so a refusing server is not hammered: a closed connection must
    // not silently shrink the offered load.
    socket_ = tcp::socket(socket_.get_executor());
    retry_timer_.expires_after(std::chrono::milliseconds(10));
    retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->start();
    });
  }

  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer retry_timer_;
  tcp::endpoint endpoint_;
  SharedLoad& shared_;
  BenchCounters& counters_;
  std::string request_;
  std::string buffer_;
  Clock::time_point sent_at_;
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
