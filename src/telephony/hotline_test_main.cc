// The hotline's telephony (HotlineTelephony, as `gosline serve` runs it)
// alone, driven over stdin, for tests/telephony/reconfigure_test.py: it
// starts on a configuration file and applies another one live when told.
//
//   gosline_hotline_test_server --config a.yaml --db calls.db --sip-port N --rtp-ports A-B
//   stdin:  "reconfigure <file>"  ->  stdout "@reconfigured" or "@refused <message>"
//           "stop" or end of input ->  calls ended, records written, exit 0
// "@ready" is printed once SIP answers. Logs go to stderr.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/case_service.h"
#include "core/common/system_clock.h"
#include "config/config_vocabulary.h"
#include "config/config_loader.h"
#include "config/telephony_config_loader.h"
#include "core/cases/case_workflow.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "telephony/hotline_telephony.h"

namespace {

using namespace gosline;

// The file's configuration with the command line's database, as serve does.
Result<Config> Load(const std::string& path, const std::string& db) {
  ConfigLoadResult loaded = LoadConfigFile(path);
  if (!loaded.ok()) {
    return Status::InvalidArgument(path + ": " + std::to_string(loaded.errors.size()) +
                                   " error(s), first: " + loaded.errors.front().ToString());
  }
  loaded.config.storage.path = db;
  return std::move(loaded.config);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("hotline"));
  CLI::App app{"gosline hotline telephony, driven over stdin (tests)"};
  std::string config_path, db, rtp_ports;
  int sip_port = 0;
  app.add_option("--config", config_path)->required();
  app.add_option("--db", db)->required();
  app.add_option("--sip-port", sip_port)->required();
  app.add_option("--rtp-ports", rtp_ports)->required();
  CLI11_PARSE(app, argc, argv);

  Result<Config> config = Load(config_path, db);
  if (!config.ok()) {
    spdlog::error("{}", config.status().ToString());
    return 1;
  }
  telephony::TelephonyOverrides overrides;
  overrides.sip_port = static_cast<uint16_t>(sip_port);
  overrides.rtp_ports = ParsePortRange(rtp_ports);
  auto store = SqliteCaseStore::Open(db, SqliteOptions{});
  if (!store.ok()) {
    spdlog::error("{}", store.status().ToString());
    return 1;
  }
  SystemClock clock;
  ConfigVocabulary vocabulary(*config);
  BusinessCalendar calendar = config->EscalationCalendar();
  CaseWorkflow workflow(vocabulary, calendar, config->escalation.business_days);
  CaseService cases(**store, workflow, clock);
  SqliteCallRecordStore::Options record_opts;
  if (auto sync = ParseSqliteSync(config->storage.synchronous)) record_opts.synchronous = *sync;
  auto records = SqliteCallRecordStore::Open(config->storage.path, record_opts);
  if (!records.ok()) {
    spdlog::error("{}", records.status().ToString());
    return 1;
  }
  auto phone =
      telephony::HotlineTelephony::Start(*config, overrides, cases, clock,
                                                  std::move(records).value());
  if (!phone.ok()) {
    spdlog::error("cannot start telephony: {}", phone.status().ToString());
    return 1;
  }
  std::cout << "@ready" << std::endl;
  std::string line;
  while (std::getline(std::cin, line) && line != "stop") {
    const std::string kCommand = "reconfigure ";
    if (line.rfind(kCommand, 0) != 0) {
      std::cout << "@refused unknown command" << std::endl;
      continue;
    }
    Result<Config> next = Load(line.substr(kCommand.size()), db);
    Status st = next.ok() ? (*phone)->Reconfigure(*next) : next.status();
    std::cout << (st.ok() ? "@reconfigured" : "@refused " + st.message()) << std::endl;
  }
  (*phone)->Stop();
  return 0;
}
