// schedd: argv → options → Daemon → exit code.

import Glibc
import SchedRuntime

// Block the daemon's signals before any thread exists, so they only ever arrive through the signalfd.
do {
    try SignalSetup.blockProcessWide()
} catch {
    printError("schedd: cannot block signals: \(error)")
    exit(1)
}
SignalSetup.ignoreBrokenPipe()
exit(Schedd.main(Array(CommandLine.arguments.dropFirst())))
