// The version of Retort, printed by `retort --version` and written into bundles.
import RetortHost

public enum RetortVersion {
    public static let number = "0.1.0"
    public static var full: String { "retort \(number) (plugin ABI \(HostABI.versionString))" }
}
