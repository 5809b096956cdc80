// The Swift half of the plugin entry: `retort_sdk_*` are called by the C entry in
// RetortPluginEntry/entry.c, which every Swift plugin exports as `retort_plugin_entry`.
import Foundation
import RetortABI

/// The plugin's state after `init`. One library holds one plugin, so one global suffices; it is
/// written once in `init` (before any other call, per the ABI) and only read afterwards.
nonisolated(unsafe) var loadedPlugin: Plugin?
nonisolated(unsafe) var hostServices: UnsafePointer<retort_host>?
nonisolated(unsafe) var pluginDirectory: String = ""
nonisolated(unsafe) var extensionTable: [String: UnsafeRawPointer] = [:]

@_cdecl("retort_sdk_init")
public func retortSDKInit(_ host: UnsafePointer<retort_host>?, _ pluginDir: UnsafePointer<CChar>?,
                          _ definition: UnsafeRawPointer?) -> Bool {
    guard let definition else { return false }
    let plugin = Unmanaged<PluginBox>.fromOpaque(definition).takeUnretainedValue().plugin
    loadedPlugin = plugin
    hostServices = host
    pluginDirectory = pluginDir.map { String(cString: $0) } ?? ""
    extensionTable = makeExtensionTable(for: plugin)
    return true
}

@_cdecl("retort_sdk_deinit")
public func retortSDKDeinit() {
    // Extension structs stay allocated: the host may still hold pointers, and the library is
    // never unloaded, so there is nothing to gain from freeing them.
}

@_cdecl("retort_sdk_get_extension")
public func retortSDKGetExtension(_ id: UnsafePointer<CChar>?) -> UnsafeRawPointer? {
    guard let id else { return nil }
    return extensionTable[String(cString: id)]
}

@_cdecl("retort_sdk_free_string")
public func retortSDKFreeString(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}

/// Logging to the host, for plugin code.
public enum PluginLog {
    public static func write(_ level: retort_log_level, _ message: String) {
        guard let host = hostServices, let log = host.pointee.log else { return }
        message.withCString { log(host, level, $0) }
    }
    public static func info(_ message: String) { write(RETORT_LOG_INFO, message) }
    public static func warning(_ message: String) { write(RETORT_LOG_WARNING, message) }
    public static func error(_ message: String) { write(RETORT_LOG_ERROR, message) }
}

/// The folder holding the plugin library, where its resources live. Valid after `init`.
public var pluginResourceDirectory: String { pluginDirectory }
