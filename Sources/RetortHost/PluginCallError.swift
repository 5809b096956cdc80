// The error of a call into a loaded plugin: which plugin, which extension and item, the status
// the plugin returned, and its message.
import Foundation
import RetortABI

public struct PluginCallError: Error, LocalizedError, Sendable, Equatable {
    public enum Status: String, Sendable {
        case invalidArgument = "invalid argument"
        case parse = "parse error"
        case notFound = "not found"
        case unsupported = "unsupported"
        case `internal` = "internal error"
        case badResult = "bad result"

        init(_ status: retort_status) {
            switch status {
            case RETORT_ERROR_INVALID_ARGUMENT: self = .invalidArgument
            case RETORT_ERROR_PARSE: self = .parse
            case RETORT_ERROR_NOT_FOUND: self = .notFound
            case RETORT_ERROR_UNSUPPORTED: self = .unsupported
            default: self = .internal
            }
        }
    }

    public let plugin: String
    /// What was called, e.g. "parser 'qa-lines'".
    public let call: String
    public let status: Status
    public let message: String

    public var errorDescription: String? { "plugin \(plugin), \(call): \(status.rawValue): \(message)" }
}
