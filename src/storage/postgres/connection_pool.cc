#include "storage/postgres/connection_pool.h"

#include <algorithm>
#include <exception>

namespace gosline::postgres {
namespace {

// Transactions that lost a race (serialization failure, deadlock) or their
// connection before the commit are run again this many times in all.
constexpr int kAttempts = 3;

// A libpq connection string value in single quotes (backslash escapes).
std::string QuotedConnValue(const std::string& value) {
  std::string out = "'";
  for (char ch : value) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

}  // namespace

ConnectionPool::ConnectionPool(PoolOptions options) : options_(std::move(options)) {}

ConnectionPool::~ConnectionPool() = default;

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(PoolOptions options) {
  options.max_connections = std::max(1, options.max_connections);
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(options)));
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<Slot> first, pool->Connect());
  {
    MutexLock lock(pool->mu_);
    pool->open_ = 1;
  }
  pool->Release(std::move(first));
  return pool;
}

Result<std::unique_ptr<ConnectionPool::Slot>> ConnectionPool::Connect() const {
  std::string conninfo = options_.conninfo;
  if (!options_.password.empty()) conninfo += " password=" + QuotedConnValue(options_.password);
  try {
    auto slot = std::make_unique<Slot>();
    slot->conn = std::make_unique<pqxx::connection>(conninfo);
    return slot;
  } catch (const std::exception& e) {
    // libpq's message names the host and the reason, never the password.
    return Status::Unavailable("postgres: cannot connect (" + options_.conninfo + "): " + e.what());
  }
}

Result<std::unique_ptr<pqxx::connection>> ConnectionPool::ConnectDedicated() const {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<Slot> slot, Connect());
  return std::move(slot->conn);
}

void ConnectionPool::Prepare(const std::string& name, const std::string& sql) {
  MutexLock lock(mu_);
  for (const auto& [known, _] : statements_) {
    if (known == name) return;
  }
  statements_.emplace_back(name, sql);
}

Result<std::unique_ptr<ConnectionPool::Slot>> ConnectionPool::Acquire() {
  std::unique_ptr<Slot> slot;
  std::vector<std::pair<std::string, std::string>> missing;
  {
    MutexLock lock(mu_);
    while (idle_.empty() && open_ >= options_.max_connections) idle_cv_.Wait(mu_);
    if (!idle_.empty()) {
      slot = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserved; connected below, outside the lock
    }
  }
  if (!slot) {
    Result<std::unique_ptr<Slot>> fresh = Connect();
    if (!fresh.ok()) {
      Discard();
      return fresh.status();
    }
    slot = std::move(fresh).value();
  }
  {
    MutexLock lock(mu_);
    missing.assign(statements_.begin() + static_cast<std::ptrdiff_t>(slot->prepared),
                   statements_.end());
  }
  try {
    // Only records the definition; libpq prepares it on first use.
    for (const auto& [name, sql] : missing) slot->conn->prepare(name, sql);
  } catch (const std::exception& e) {
    Discard();
    return Status::Internal(std::string("postgres: cannot prepare a statement: ") + e.what());
  }
  slot->prepared += missing.size();
  return slot;
}

void ConnectionPool::Release(std::unique_ptr<Slot> slot) {
  MutexLock lock(mu_);
  idle_.push_back(std::move(slot));
  idle_cv_.NotifyOne();
}

void ConnectionPool::Discard() {
  MutexLock lock(mu_);
  --open_;
  idle_cv_.NotifyOne();
}

Status ConnectionPool::Run(Access access,
                           const std::function<Status(pqxx::transaction_base&)>& fn) {
  Status last;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<Slot> slot, Acquire());
    try {
      Status st;
      if (access == Access::kRead) {
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(*slot->conn);
        st = fn(tx);
        if (st.ok()) tx.commit();
      } else {
        pqxx::work tx(*slot->conn);
        st = fn(tx);
        if (st.ok()) tx.commit();
      }
      Release(std::move(slot));
      return st;
    } catch (const pqxx::in_doubt_error& e) {
      // The connection went while COMMIT was under way: it may have committed.
      Discard();
      return Status::IoError(std::string("postgres: commit outcome unknown: ") + e.what());
    } catch (const pqxx::broken_connection& e) {
      Discard();
      last = Status::Unavailable(std::string("postgres: connection lost: ") + e.what());
    } catch (const pqxx::transaction_rollback& e) {
      Release(std::move(slot));
      last = Status::Conflict(std::string("postgres: transaction lost a race: ") + e.what());
    } catch (const pqxx::unique_violation& e) {
      Release(std::move(slot));
      return Status::AlreadyExists(std::string("postgres: ") + e.what());
    } catch (const pqxx::sql_error& e) {
      Release(std::move(slot));
      return Status::Internal(std::string("postgres: ") + e.what() + " (in: " + e.query() + ")");
    } catch (const std::exception& e) {
      // A failed conversion of a stored value: the row is not what we wrote.
      Release(std::move(slot));
      return Status::Corruption(std::string("postgres: ") + e.what());
    }
  }
  return last;
}

}  // namespace gosline::postgres
