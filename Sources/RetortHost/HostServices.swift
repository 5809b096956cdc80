// The `retort_host` services each plugin receives: logging into swift-log under the plugin's
// name, and allocation. Each plugin gets its own struct so log lines say who wrote them, and
// errors logged during `init` can be quoted when `init` fails.
import Foundation
import Logging
import RetortABI

/// What the host remembers about one plugin's log: its label and the last error it logged.
final class PluginLogSink: @unchecked Sendable {
    private let lock = NSLock()
    private var label: String
    private var lastErrorMessage: String?
    let logger: Logger

    init(label: String) {
        self.label = label
        var logger = Logger(label: "retort.plugin")
        logger[metadataKey: "plugin"] = "\(label)"
        self.logger = logger
    }

    func rename(_ newLabel: String) { lock.withLock { label = newLabel } }

    func write(_ level: retort_log_level, _ message: String) {
        let name = lock.withLock { () -> String in
            if level.rawValue >= RETORT_LOG_ERROR.rawValue { lastErrorMessage = message }
            return label
        }
        let text: Logger.Message = "[\(name)] \(message)"
        switch level {
        case RETORT_LOG_TRACE: logger.trace(text)
        case RETORT_LOG_DEBUG: logger.debug(text)
        case RETORT_LOG_INFO: logger.info(text)
        case RETORT_LOG_WARNING: logger.warning(text)
        default: logger.error(text)
        }
    }

    var lastError: String? { lock.withLock { lastErrorMessage } }
}

enum HostServices {
    /// A `retort_host` for one plugin. It is never freed: plugins are never unloaded and may
    /// keep the pointer until `deinit`.
    static func make(sink: PluginLogSink) -> UnsafePointer<retort_host> {
        let pointer = UnsafeMutablePointer<retort_host>.allocate(capacity: 1)
        pointer.initialize(to: retort_host(
            abi_version: retort_version(major: UInt32(RETORT_ABI_MAJOR), minor: UInt32(RETORT_ABI_MINOR)),
            host_data: Unmanaged.passRetained(sink).toOpaque(),
            log: { host, level, message in
                guard let host, let data = host.pointee.host_data, let message else { return }
                Unmanaged<PluginLogSink>.fromOpaque(data).takeUnretainedValue()
                    .write(level, String(cString: message))
            },
            alloc: { _, size in malloc(size) },
            free: { _, pointer in Foundation.free(pointer) }))
        return UnsafePointer(pointer)
    }
}

public enum HostABI {
    public static let major = UInt32(RETORT_ABI_MAJOR)
    public static let minor = UInt32(RETORT_ABI_MINOR)
    public static var versionString: String { "\(major).\(minor)" }
}
