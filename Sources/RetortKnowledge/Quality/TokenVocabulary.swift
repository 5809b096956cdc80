// Interns ROUGE tokens as small integers, so LCS and overlap counts compare integers, not strings.

public struct TokenVocabulary: Sendable {
    private var ids: [String: Int32] = [:]

    public init() {}

    public var count: Int { ids.count }

    /// The ids of `text`'s ROUGE tokens (RougeTokenizer), interning new tokens.
    public mutating func tokenIDs(_ text: String) -> [Int32] {
        var result: [Int32] = []
        RougeTokenizer.forEachToken(in: text) { bytes in
            let token = String(decoding: bytes, as: UTF8.self)
            if let id = ids[token] {
                result.append(id)
            } else {
                let id = Int32(ids.count)
                ids[token] = id
                result.append(id)
            }
        }
        return result
    }
}
