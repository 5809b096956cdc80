// How commands fail: one line on standard error naming what went wrong, and exit code 2.
import ArgumentParser
import Foundation

enum CommandFailure {
    /// Prints each problem on its own line to standard error.
    static func report(_ problems: [String]) {
        for problem in problems {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
        }
    }

    /// Reports `error` and ends the command with exit code 2.
    static func exit(_ error: any Error) -> ExitCode {
        report([(error as? LocalizedError)?.errorDescription ?? "\(error)"])
        return ExitCode(2)
    }
}
