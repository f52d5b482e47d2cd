#include "logic/orders/store/pg_connection.hpp"

#include <libpq-fe.h>

namespace seckill::orders {
namespace {

std::string error_of(pg_conn* connection) {
  std::string message = PQerrorMessage(connection);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return "postgresql: " + message;
}

}  // namespace

PgRows::PgRows(pg_result* result) : result_(result) {}

void PgRows::Clear::operator()(pg_result* result) const {
  PQclear(result);
}

int PgRows::size() const {
  return PQntuples(result_.get());
}

int PgRows::columns() const {
  return PQnfields(result_.get());
}

std::optional<std::string> PgRows::at(int row, int column) const {
  if (PQgetisnull(result_.get(), row, column)) return std::nullopt;
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

PgConnection::PgConnection(std::string dsn) : dsn_(std::move(dsn)) {}

PgConnection::~PgConnection() {
  if (connection_ != nullptr) PQfinish(connection_);
}

Status PgConnection::ensure_connected() {
  if (connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK) return Done{};
  if (connection_ != nullptr) {
    PQfinish(connection_);
    connection_ = nullptr;
  }
  connection_ = PQconnectdb(dsn_.c_str());
  if (PQstatus(connection_) != CONNECTION_OK) {
    Error error{error_of(connection_)};
    PQfinish(connection_);
    connection_ = nullptr;
    return error;
  }
  return Done{};
}

Result<PgRows> PgConnection::query(const std::string& sql, const std::vector<std::string>& params) {
  if (auto connected = ensure_connected(); !connected) return connected.error();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param.c_str());
  PgRows rows(PQexecParams(connection_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), nullptr, nullptr, 0));
  const auto status = PQresultStatus(rows.raw());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Error{error_of(connection_)};
  return rows;
}

Status PgConnection::run_script(const std::string& sql) {
  if (auto connected = ensure_connected(); !connected) return connected.error();
  PgRows rows(PQexec(connection_, sql.c_str()));
  const auto status = PQresultStatus(rows.raw());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Error{error_of(connection_)};
  return Done{};
}

std::string array_literal(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

}  // namespace seckill::orders
