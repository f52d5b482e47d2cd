#include "tools/bench/load/challenge_solver.hpp"

#include <array>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <openssl/sha.h>
#include <rapidjson/document.h>

namespace seckill::bench {
namespace {

namespace http = boost::beast::http;
using boost::asio::ip::tcp;

// One GET on a fresh connection: a few thousand users before the run, not the load itself.
std::string get(const Target& target, const std::string& path, const std::string& forwarded_for) {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  tcp::socket socket(io);
  boost::asio::connect(socket, resolver.resolve(target.host, std::to_string(target.port)));
  http::request<http::empty_body> request(http::verb::get, path, 11);
  request.set(http::field::host, target.host);
  if (!forwarded_for.empty()) request.set("X-Forwarded-For", forwarded_for);
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response.body();
}

}  // namespace

std::string solve_proof_of_work(const std::string& nonce, int bits) {
  if (bits <= 0) return "0";
  for (std::uint64_t x = 0;; ++x) {
    const std::string text = nonce + std::to_string(x);
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
    const std::uint32_t head = (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) |
                               (std::uint32_t{digest[2]} << 8) | digest[3];
    if ((head >> (32 - bits)) == 0) return std::to_string(x);
  }
}

std::string challenge_suffix(const Target& target, std::int64_t product, std::int64_t user,
                             const std::string& token, const std::string& forwarded_for) {
  const std::string body = get(target,
                               "/challenge?product_id=" + std::to_string(product) +
                                   "&user_id=" + std::to_string(user) + "&token=" + token,
                               forwarded_for);
  // {"code":0,"data":{"nonce":"<64 hex>","pow_bits":N}}: anything else means no challenge.
  rapidjson::Document reply;
  reply.Parse(body.data(), body.size());
  const bool shaped = !reply.HasParseError() && reply.IsObject() && reply.HasMember("data") &&
                      reply["data"].IsObject() && reply["data"].HasMember("nonce") &&
                      reply["data"]["nonce"].IsString() && reply["data"].HasMember("pow_bits") &&
                      reply["data"]["pow_bits"].IsInt();
  if (!shaped) {
    throw std::runtime_error("no challenge for user " + std::to_string(user) + ": " + body);
  }
  const std::string nonce = reply["data"]["nonce"].GetString();
  const int pow_bits = reply["data"]["pow_bits"].GetInt();
  std::string suffix = "&nonce=";
  suffix += nonce;
  if (pow_bits > 0) {
    suffix += "&proof=";
    suffix += solve_proof_of_work(nonce, pow_bits);
  }
  return suffix;
}

}  // namespace seckill::bench
