// The errors of packing, verifying and running a bundle: one message that names the file and what
// is wrong with it.
import Foundation

public struct BundleError: Error, LocalizedError, Sendable, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var errorDescription: String? { message }
}
