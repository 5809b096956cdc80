// Errors for quality filters built with settings that cannot work (a threshold outside (0, 1],
// a minimum above the maximum…); each message names the setting, the value and the valid range.
import Foundation

public struct QualityConfigurationError: Error, LocalizedError, Sendable, Equatable {
    public let setting: String
    public let message: String

    public init(setting: String, _ message: String) {
        self.setting = setting
        self.message = message
    }

    public var errorDescription: String? { "invalid \(setting): \(message)" }
}
