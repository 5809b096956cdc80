// Finding added tokens ("<|im_start|>", user-defined tokens) in text before pre-tokenization:
// scanning the UTF-8 bytes left to right, the longest added token starting at a position wins
// (leftmost-longest, as Hugging Face's added-token splitter does).

struct AddedTokenMatcher: Sendable {
    private struct Candidate: Sendable {
        let bytes: [UInt8]
        let id: Int32
        let special: Bool
    }

    /// Candidates by first byte, longest first.
    private let byFirstByte: [UInt8: [Candidate]]

    init(_ tokens: [BPETokenizer.AddedToken]) {
        var table: [UInt8: [Candidate]] = [:]
        for token in tokens {
            let bytes = Array(token.content.utf8)
            guard let first = bytes.first else { continue }
            table[first, default: []].append(Candidate(bytes: bytes, id: token.id, special: token.special))
        }
        byFirstByte = table.mapValues { $0.sorted { $0.bytes.count > $1.bytes.count } }
    }

    enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    /// Splits `bytes` into plain-text ranges and added-token ids. With `includeSpecial` false,
    /// special tokens are left in the text as ordinary characters.
    func segments(_ bytes: [UInt8], includeSpecial: Bool) -> [Segment] {
        var out: [Segment] = []
        var textStart = 0
        var i = 0
        if byFirstByte.isEmpty { return bytes.isEmpty ? [] : [.text(0..<bytes.count)] }
        scan: while i < bytes.count {
            if let candidates = byFirstByte[bytes[i]] {
                for c in candidates where (includeSpecial || !c.special) && i + c.bytes.count <= bytes.count {
                    if bytes[i..<(i + c.bytes.count)].elementsEqual(c.bytes) {
                        if textStart < i { out.append(.text(textStart..<i)) }
                        out.append(.token(c.id))
                        i += c.bytes.count
                        textStart = i
                        continue scan
                    }
                }
            }
            i += 1
        }
        if textStart < bytes.count { out.append(.text(textStart..<bytes.count)) }
        return out
    }
}
