// The tokenizer of Self-Instruct's ROUGE-L: rouge_score's DefaultTokenizer without a stemmer
// (rouge_score/tokenize.py): lowercase the text, turn every run of characters other than
// [a-z0-9] into a separator, split. Only ASCII letters and digits survive, so "café" gives
// ["caf"] and text in other scripts gives no tokens at all, exactly as in Python.

public enum RougeTokenizer {
    /// The tokens of `text`, equal to rouge_score's `RougeScorer(["rougeL"])._tokenizer.tokenize(text)`.
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(in: text) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        return tokens
    }

    /// Calls `body` with each token's bytes (lowercase ASCII letters and digits) in order, without
    /// allocating a String per token.
    public static func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var token: [UInt8] = []
        token.reserveCapacity(32)
        func flush() {
            if token.isEmpty { return }
            token.withUnsafeBufferPointer(body)
            token.removeAll(keepingCapacity: true)
        }
        func take(_ value: UInt32) {
            switch value {
            case 0x61...0x7A, 0x30...0x39: token.append(UInt8(value))
            case 0x41...0x5A: token.append(UInt8(value + 0x20))
            default: flush()
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                take(scalar.value)
            } else {
                // Python's str.lower() uses the full Unicode mapping, under which two non-ASCII
                // characters become ASCII letters: U+0130 "İ" → "i" + U+0307, U+212A KELVIN SIGN → "k".
                for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
                    take(lowered.isASCII ? lowered.value : 0)
                }
            }
        }
        flush()
    }
}
