// One call into a plugin that answers through `out_*` string parameters: the strings it hands
// back are copied and released with the plugin's `free_string` (retort.h's ownership rule), and a
// failure without a message still gets one. Used by the loader and by loaded plugins alike.
import RetortABI

typealias PluginOutString = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

struct PluginStringCall {
    let status: retort_status
    /// The `out_json`-style result, if the plugin set one.
    let text: String?
    /// The plugin's `out_error` message, if it set one.
    let message: String?

    init(entry: UnsafePointer<retort_plugin_entry_t>, _ body: (PluginOutString, PluginOutString) -> retort_status) {
        var out: UnsafeMutablePointer<CChar>? = nil
        var error: UnsafeMutablePointer<CChar>? = nil
        status = body(&out, &error)
        text = Self.take(out, entry: entry)
        message = Self.take(error, entry: entry)
    }

    var succeeded: Bool { status == RETORT_OK }

    /// The plugin's message, or one naming the status it returned without a message.
    var failureMessage: String {
        message ?? "the plugin returned \(String(cString: retort_status_name(status))) without a message"
    }

    /// Copies a plugin-owned string and releases it with the plugin's `free_string`.
    static func take(_ pointer: UnsafeMutablePointer<CChar>?, entry: UnsafePointer<retort_plugin_entry_t>) -> String? {
        guard let pointer else { return nil }
        let text = String(cString: pointer)
        entry.pointee.free_string?(pointer)
        return text
    }
}
