// The exit codes of every tally command: one documented table (README, "Exit codes").
#pragma once

namespace tally::app {

enum ExitCode : int {
  kExitDone = 0,              // everything read; all identities held or were repaired
  kExitUsage = 1,             // bad command line
  kExitInputFailed = 2,       // some input could not be read (not a PDF, damaged, encrypted…)
  kExitSourceErrors = 3,      // done, and the source itself breaks identities (reported)
  kExitOutputUnwritable = 4,  // an output could not be written
  kExitInterrupted = 130,     // stopped by Ctrl-C
};

}  // namespace tally::app
