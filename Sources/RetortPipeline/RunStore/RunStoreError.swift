// Every way the run store fails, each naming the file and saying what to do. SQLite's own errors
// are translated here so no caller ever sees a bare result code.
import Foundation
import GRDB

public enum RunStoreError: Error, LocalizedError, Sendable, Equatable {
    /// The run folder could not be created or used (a file is in the way, no permission…).
    case badRunDirectory(path: String, reason: String)
    /// No run store where one was expected (stats or export of a run that never ran).
    case missing(path: String)
    /// The file is not an SQLite database, or an SQLite database of something else.
    case notARunStore(path: String, reason: String)
    /// Written by a later Retort whose schema this one does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// SQLite found damaged pages, or a stored value does not decode.
    case corrupt(path: String, detail: String)
    /// The caller passed something the store refuses to write (a programming error upstream).
    case invalidInput(String)
    /// Any other SQLite failure (disk full, read-only file, I/O error…).
    case database(path: String, detail: String)

    public var errorDescription: String? {
        switch self {
        case .badRunDirectory(let path, let reason):
            "cannot use \(path) as a run folder: \(reason)"
        case .missing(let path):
            "no run store at \(path); give the folder of a run (the one holding run.sqlite)"
        case .notARunStore(let path, let reason):
            "\(path) is not a Retort run store (\(reason)); give the folder of a run, or move the file away"
        case .newerSchema(let path, let unknown):
            "\(path) was written by a newer Retort (schema steps \(unknown.joined(separator: ", ")) are unknown to this version); upgrade Retort to open it"
        case .corrupt(let path, let detail):
            "\(path) is damaged: \(detail); restore it from a backup or start a new run folder"
        case .invalidInput(let message):
            "run store refused the write: \(message)"
        case .database(let path, let detail):
            "run store \(path): \(detail)"
        }
    }

    /// Translates an SQLite failure on the file at `path` into a message a user can act on.
    static func translating(_ error: any Error, path: String) -> RunStoreError {
        if let error = error as? RunStoreError { return error }
        guard let error = error as? DatabaseError else {
            return .database(path: path, detail: "\(error)")
        }
        let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return .notARunStore(path: path, reason: "not an SQLite database")
        case .SQLITE_CORRUPT:
            return .corrupt(path: path, detail: detail)
        case .SQLITE_FULL:
            return .database(path: path, detail: "the disk is full (\(detail)); free space and resume the run")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .database(path: path, detail: "cannot open or write the file (\(detail)); check its permissions")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .database(path: path, detail: "the file stayed locked by another process (\(detail)); is another run using this folder?")
        default:
            return .database(path: path, detail: detail)
        }
    }
}
