// Decoding generated ids one at a time: a token may end in the middle of a UTF-8 sequence (an
// emoji spread over several byte tokens), so the decoder holds back an incomplete tail and only
// returns complete text. Bytes that can never form valid UTF-8 come out as U+FFFD.

public struct BPEStreamingDecoder: Sendable {
    public let tokenizer: BPETokenizer
    public let skipSpecial: Bool
    private var pending: [UInt8] = []
    /// No token has produced bytes yet (SentencePiece-style decoding strips a leading space).
    private var atStart = true

    public init(tokenizer: BPETokenizer, skipSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecial = skipSpecial
    }

    /// Adds one id and returns the text that became complete (possibly empty).
    public mutating func push(_ id: Int32) throws(TokenizerError) -> String {
        try tokenizer.appendBytes(of: id, skipSpecial: skipSpecial, atStart: &atStart, to: &pending)
        let keep = Self.incompleteTailLength(pending)
        let ready = pending[..<(pending.count - keep)]
        let text = String(decoding: ready, as: UTF8.self)
        pending.removeFirst(pending.count - keep)
        return text
    }

    /// Returns whatever is still held back (an unfinished sequence decodes to U+FFFD) and resets.
    public mutating func finish() -> String {
        defer {
            pending.removeAll()
            atStart = true
        }
        return String(decoding: pending, as: UTF8.self)
    }

    /// How many trailing bytes are the start of a UTF-8 sequence still waiting for continuation
    /// bytes: a lead byte followed by fewer continuation bytes than it announces.
    static func incompleteTailLength(_ bytes: [UInt8]) -> Int {
        var continuation = 0
        var i = bytes.count - 1
        while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
            continuation += 1
            i -= 1
        }
        guard i >= 0 else { return 0 }
        let lead = bytes[i]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        return continuation + 1 < length ? continuation + 1 : 0
    }
}

extension BPETokenizer {
    public func makeStreamingDecoder(skipSpecial: Bool = false) -> BPEStreamingDecoder {
        BPEStreamingDecoder(tokenizer: self, skipSpecial: skipSpecial)
    }
}
