// Rejects text with nothing visible in it: empty, or only whitespace, newlines and invisible
// format characters (zero-width space/joiners, word joiner, byte-order mark) that models emit.

public struct EmptyTextCheck: QualityCheck {
    public static let checkName = "empty"

    public init() {}

    public var name: String { Self.checkName }

    public func check(_ text: String) -> QualityVerdict {
        if text.isEmpty { return .reject(check: name, reason: "the text is empty") }
        let visible = text.unicodeScalars.contains { !$0.properties.isWhitespace && !Self.invisible.contains($0.value) }
        return visible ? .keep : .reject(check: name, reason: "the text has only whitespace or invisible characters")
    }

    static let invisible: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E]
}
