// A throwaway PostgreSQL 15 server for tests: initdb in a fresh temporary
// directory, a server that listens on a unix socket in that directory only
// (no TCP port at all), and a fresh empty database per test on demand. The
// destructor stops the server and removes the directory, also when a test
// failed. PostgreSQL refuses to run as root, so a test running as root
// starts it as the `postgres` user (runuser) in a directory owned by that
// user. Missing server binaries are an error with the package to install,
// never a silent skip.
//
// Meant as one server per test binary (start ~1 s) and a database per
// test (tens of ms). Threads: Start, CreateDatabase and the destructor from one thread.
#pragma once

#include <memory>
#include <string>

#include "core/common/status.h"

namespace gosline::testing {

class PostgresServer {
 public:
  // The server binaries: $GOSLINE_PG_BINDIR, else /usr/lib/postgresql/15/bin.
  static std::string BinDir();

  // initdb + pg_ctl start (waits until the server accepts connections).
  static Result<std::unique_ptr<PostgresServer>> Start();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Creates an empty database with a new name (test_1, test_2, ...).
  Result<std::string> CreateDatabase();
  // libpq connection string for a database of this server.
  std::string ConnInfo(const std::string& database) const;
  // The directory that holds the data, the socket and the server's log.
  const std::string& dir() const { return dir_; }
  // The last lines of the server's log, for failure messages.
  std::string LogTail() const;

 private:
  explicit PostgresServer(std::string dir) : dir_(std::move(dir)) {}
  Status Stop();

  std::string dir_;
  bool running_ = false;
  int databases_ = 0;
};

}  // namespace gosline::testing
