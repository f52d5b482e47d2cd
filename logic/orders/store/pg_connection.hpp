// PgConnection: one libpq connection to the system of record, with the few calls seckill-orders
// makes. Text parameters only (arrays as PostgreSQL array literals), so no libpq type plumbing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.hpp"

struct pg_conn;
struct pg_result;

namespace seckill::orders {

/// A query's rows, as text (NULL as nullopt).
class PgRows {
 public:
  explicit PgRows(pg_result* result);
  int size() const;
  int columns() const;
  std::optional<std::string> at(int row, int column) const;
  pg_result* raw() const { return result_.get(); }

 private:
  struct Clear {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, Clear> result_;
};

class PgConnection {
 public:
  /// Connects lazily, at the first query; reconnects after the connection broke.
  explicit PgConnection(std::string dsn);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  PgConnection(PgConnection&&) = delete;
  PgConnection& operator=(PgConnection&&) = delete;

  /// Runs `sql` with text parameters ($1, $2, ...); an Error names what PostgreSQL said.
  Result<PgRows> query(const std::string& sql, const std::vector<std::string>& params = {});
  /// Runs several statements with no parameters (a schema file).
  Status run_script(const std::string& sql);

 private:
  Status ensure_connected();

  std::string dsn_;
  pg_conn* connection_ = nullptr;
};

/// `values` as a PostgreSQL array literal ({"a","b\"c"}), every element quoted.
std::string array_literal(const std::vector<std::string>& values);

}  // namespace seckill::orders
