#include "cli/check_config_command.h"

#include <iostream>
#include <memory>

#include "config/config_loader.h"

namespace gosline::cli {

void AddCheckConfigCommand(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("check-config", "Validate a configuration file and list every error");
  cmd->add_option("file", *path, "Configuration file (YAML)")->required();
  cmd->callback([path] {
    ConfigLoadResult loaded = LoadConfigFile(*path);
    for (const ConfigError& e : loaded.errors) std::cerr << e.ToString() << "\n";
    if (!loaded.ok()) {
      std::cerr << *path << ": " << loaded.errors.size() << " error(s)\n";
      throw ExitCode{1};
    }
    std::cout << *path << ": ok (" << loaded.config.service.numbers.size() << " numbers, "
              << loaded.config.topics.size() << " topics, " << loaded.config.queues.size()
              << " queues)\n";
  });
}

}  // namespace gosline::cli
