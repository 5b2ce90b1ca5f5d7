// The mnist tool's subcommands. Each takes the arguments after its name and
// returns the process exit status; errors are printed to stderr.
#pragma once

#include <string>
#include <vector>

namespace mnist::cli {

int train_command(const std::vector<std::string>& args);
int finetune_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);
int eval_command(const std::vector<std::string>& args);
int predict_command(const std::vector<std::string>& args);
int make_photos_command(const std::vector<std::string>& args);

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;     // bad input, unreadable file, failed step
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitNotLearning = 3;  // training diverged or did not learn (the learning rate)
inline constexpr int kExitInterrupted = 4;  // training stopped by Ctrl+C or SIGTERM before its end

// Prints "mnist: message" to stderr and returns status.
int report(const std::string& message, int status = kExitError);

}  // namespace mnist::cli
