// The text of one choice as tokens arrive. It finds the first stop string and releases only text
// that can no longer become one: a tail that is the start of a stop string is held back until the
// next token settles it, so a streamed reply never shows part of a stop string.
struct StopStringScanner {
    private let stops: [[UInt8]]
    /// Complete UTF-8 text so far (the streaming decoder only hands over whole characters).
    private(set) var bytes: [UInt8] = []
    /// Where each token's text starts and ends in `bytes`.
    private var tokenStarts: [Int] = []
    private var tokenEnds: [Int] = []
    private var releasedBytes = 0
    private var releasedTokens = 0
    /// Where the first stop string begins, once one appeared.
    private(set) var stopOffset: Int?

    init(stopStrings: [String]) {
        stops = stopStrings.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Adds the text one token completed (may be empty). Returns true when a stop string appeared.
    mutating func append(_ text: String) -> Bool {
        let searchFrom = max(0, bytes.count - (stops.map(\.count).max() ?? 1) + 1)
        tokenStarts.append(bytes.count)
        bytes += text.utf8
        tokenEnds.append(bytes.count)
        guard !stops.isEmpty, !text.isEmpty else { return false }
        stopOffset = firstStop(from: searchFrom)
        return stopOffset != nil
    }

    /// Text and token indices that became final since the last release.
    mutating func release() -> (text: String, tokens: Range<Int>) {
        release(upTo: bytes.count - heldBackLength(), tokensEndingBy: true)
    }

    /// After the last token: everything before the stop string, or all of it; `trailing` is what
    /// the decoder still held (an unfinished UTF-8 sequence).
    mutating func finish(trailing: String) -> (text: String, tokens: Range<Int>) {
        if stopOffset == nil, !trailing.isEmpty {
            if !tokenEnds.isEmpty { tokenEnds[tokenEnds.count - 1] += trailing.utf8.count }
            let searchFrom = max(0, bytes.count - (stops.map(\.count).max() ?? 1) + 1)
            bytes += trailing.utf8
            stopOffset = stops.isEmpty ? nil : firstStop(from: searchFrom)
        }
        // With a stop string, a token is kept when its text starts before the cut.
        return release(upTo: stopOffset ?? bytes.count, tokensEndingBy: stopOffset == nil)
    }

    /// The text before the cut, for the final result.
    var finalText: String { String(decoding: bytes[..<(stopOffset ?? bytes.count)], as: UTF8.self) }

    /// Releases bytes up to `limit` and the tokens inside it: those whose text ends by the limit,
    /// or (at a stop string) those whose text starts before it.
    private mutating func release(upTo limit: Int, tokensEndingBy: Bool) -> (text: String, tokens: Range<Int>) {
        let limit = max(limit, releasedBytes)
        let text = String(decoding: bytes[releasedBytes..<limit], as: UTF8.self)
        releasedBytes = limit
        let first = releasedTokens
        while releasedTokens < tokenStarts.count,
              tokensEndingBy ? tokenEnds[releasedTokens] <= limit : tokenStarts[releasedTokens] < limit {
            releasedTokens += 1
        }
        return (text, first..<releasedTokens)
    }

    private func firstStop(from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        var best: Int?
        for stop in stops where stop.count <= bytes.count {
            var i = start
            while i + stop.count <= bytes.count, best.map({ i < $0 }) ?? true {
                if bytes[i] == stop[0], bytes[i..<(i + stop.count)].elementsEqual(stop) {
                    best = i
                    break
                }
                i += 1
            }
        }
        return best
    }

    /// The longest tail of the text that is a proper prefix of a stop string.
    private func heldBackLength() -> Int {
        var longest = 0
        for stop in stops {
            var length = min(stop.count - 1, bytes.count - releasedBytes)
            while length > longest {
                if bytes[(bytes.count - length)...].elementsEqual(stop[..<length]) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }
}
