#include "storage/postgres/testing/postgres_server.h"

#include <pqxx/pqxx>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace gosline::testing {
namespace {

namespace fs = std::filesystem;

// The user the server runs as when we are root (PostgreSQL refuses root).
constexpr const char* kServerUser = "postgres";

// Runs argv (as kServerUser when we are root), its output appended to
// `log`; returns its exit status (-1 when it could not run at all).
int RunLogged(std::vector<std::string> argv, const std::string& log) {
  if (geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", kServerUser, "--"});
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    FILE* out = std::fopen(log.c_str(), "a");
    if (out != nullptr) {
      dup2(fileno(out), STDOUT_FILENO);
      dup2(fileno(out), STDERR_FILENO);
    }
    // The server pg_ctl starts outlives us: it must not hold our sockets or
    // file locks (a build slot, a test's port) after we are gone.
    close_range(3, ~0U, 0);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Tail(const std::string& path, size_t max_chars) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  return text.size() > max_chars ? text.substr(text.size() - max_chars) : text;
}

// The test that started a server writes its pid here; a server whose test
// died without stopping it (killed by a timeout, an abort) is found by the
// next test and stopped, so leaked servers do not pile up on a CI machine.
constexpr const char* kOwnerFile = "owner.pid";

bool OwnerIsGone(const fs::path& dir) {
  std::ifstream in(dir / kOwnerFile);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return false;  // not ours, or still being set up
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

void StopServersOfDeadTests(const std::string& bin) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gosline-pg-", 0) != 0 && name.rfind("gosline-e2e-pg-", 0) != 0) continue;
    if (!OwnerIsGone(entry.path())) continue;
    const std::string dir = entry.path().string();
    if (fs::exists(entry.path() / "data" / "postmaster.pid", ec)) {
      RunLogged({bin + "/pg_ctl", "-D", dir + "/data", "-m", "immediate", "-w", "-t", "30", "stop"},
                "/dev/null");
    }
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

std::string PostgresServer::BinDir() {
  const char* env = std::getenv("GOSLINE_PG_BINDIR");
  return env != nullptr && *env != '\0' ? env : "/usr/lib/postgresql/15/bin";
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  const std::string bin = BinDir();
  for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
    if (access((bin + "/" + tool).c_str(), X_OK) != 0) {
      return Status::FailedPrecondition(
          "PostgreSQL server binary " + bin + "/" + tool +
          " not found: install postgresql-15 (scripts/install-deps.sh, run by make test) or set "
          "GOSLINE_PG_BINDIR");
    }
  }
  StopServersOfDeadTests(bin);
  std::string tmpl = (fs::temp_directory_path() / "gosline-pg-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return Status::IoError("mkdtemp failed for " + tmpl);
  std::unique_ptr<PostgresServer> server(new PostgresServer(tmpl));
  const std::string& dir = server->dir_;
  {
    std::ofstream owner(fs::path(dir) / kOwnerFile);
    owner << getpid() << "\n";
  }
  if (geteuid() == 0) {
    const passwd* pw = getpwnam(kServerUser);
    if (pw == nullptr) {
      return Status::FailedPrecondition(
          std::string("running as root, and there is no '") + kServerUser +
          "' user to run PostgreSQL as (install postgresql-15, which creates it)");
    }
    if (chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return Status::IoError("cannot give " + dir + " to the postgres user");
    }
  }
  // The server creates its own log (as its user); our children's output
  // goes to files of their own.
  const std::string log = dir + "/server.log";
  int rc = RunLogged({bin + "/initdb", "-D", dir + "/data", "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                     dir + "/initdb.log");
  if (rc != 0) {
    return Status::Internal("initdb failed (exit " + std::to_string(rc) + ") in " + dir + ":\n" +
                            Tail(dir + "/initdb.log", 4000));
  }
  // Unix socket in dir only (listen_addresses=''); fsync off: a test
  // server's data needs no durability, and initdb/commits are faster.
  const std::string opts = "-k " + dir + " -c listen_addresses='' -c fsync=off "
                           "-c full_page_writes=off -c max_connections=200";
  rc = RunLogged({bin + "/pg_ctl", "-D", dir + "/data", "-l", log, "-w", "-t", "60", "-o", opts,
                  "start"},
                 dir + "/pg_ctl.log");
  if (rc != 0) {
    return Status::Internal("pg_ctl start failed (exit " + std::to_string(rc) + ") in " + dir +
                            ":\n" + Tail(dir + "/pg_ctl.log", 2000) + server->LogTail());
  }
  server->running_ = true;
  return server;
}

Status PostgresServer::Stop() {
  if (!running_) return Status::Ok();
  running_ = false;
  int rc = RunLogged({BinDir() + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w",
                      "-t", "60", "stop"},
                     dir_ + "/pg_ctl.log");
  if (rc != 0) return Status::Internal("pg_ctl stop failed (exit " + std::to_string(rc) + ")");
  return Status::Ok();
}

PostgresServer::~PostgresServer() {
  Status st = Stop();
  if (!st.ok()) std::fprintf(stderr, "postgres test server: %s\n", st.ToString().c_str());
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresServer::ConnInfo(const std::string& database) const {
  return "host=" + dir_ + " port=5432 user=postgres dbname=" + database;
}

Result<std::string> PostgresServer::CreateDatabase() {
  const std::string name = "test_" + std::to_string(++databases_);
  try {
    pqxx::connection conn(ConnInfo("postgres"));
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE DATABASE " + name + " TEMPLATE template0");
  } catch (const std::exception& e) {
    return Status::Internal("cannot create database " + name + ": " + e.what());
  }
  return name;
}

std::string PostgresServer::LogTail() const { return Tail(dir_ + "/server.log", 4000); }

}  // namespace gosline::testing
