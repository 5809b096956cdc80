// The error a Swift plugin throws; the SDK turns it into a `retort_status` and an error message.
import RetortABI

public enum PluginFailure: Error, Sendable {
    case invalidArgument(String)
    case parse(String)
    case notFound(String)
    case unsupported(String)
    case `internal`(String)

    var status: retort_status {
        switch self {
        case .invalidArgument: RETORT_ERROR_INVALID_ARGUMENT
        case .parse: RETORT_ERROR_PARSE
        case .notFound: RETORT_ERROR_NOT_FOUND
        case .unsupported: RETORT_ERROR_UNSUPPORTED
        case .internal: RETORT_ERROR_INTERNAL
        }
    }

    var message: String {
        switch self {
        case .invalidArgument(let m), .parse(let m), .notFound(let m), .unsupported(let m), .internal(let m): m
        }
    }
}
