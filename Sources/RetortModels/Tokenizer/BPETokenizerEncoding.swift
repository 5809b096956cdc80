// Encoding text to token ids: added tokens first, then per plain-text segment pre-tokenization,
// the byte-level spelling of each piece and the BPE merges (or, for SentencePiece-style
// vocabularies, SentencePieceEncoding).
import Foundation

extension BPETokenizer {
    /// Token ids for `text`.
    /// - Parameters:
    ///   - parseSpecial: match special tokens such as "<|im_start|>" written in the text; pass
    ///     false for untrusted text, so that it cannot inject control tokens.
    ///   - addSpecial: add BOS/EOS as `addBOS`/`addEOS` say.
    public func encode(_ text: String, parseSpecial: Bool = true, addSpecial: Bool = true) -> [Int32] {
        let source = normalizeNFC ? text.precomposedStringWithCanonicalMapping : text
        let bytes = Array(source.utf8)
        var ids: [Int32] = []
        ids.reserveCapacity(bytes.count / 3 + 2)
        if addSpecial && addBOS, let bosID { ids.append(bosID) }
        for segment in matcher.segments(bytes, includeSpecial: parseSpecial) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                if let sentencePiece {
                    encodeSentencePiece(bytes[range], startsText: range.lowerBound == 0, options: sentencePiece, into: &ids)
                } else {
                    encodePlain(bytes[range], into: &ids)
                }
            }
        }
        if addSpecial && addEOS, let eosID { ids.append(eosID) }
        return ids
    }

    /// The tokens of `text` as the vocabulary spells them (for inspection and tests).
    public func encodeToTokens(_ text: String, parseSpecial: Bool = true) -> [String] {
        encode(text, parseSpecial: parseSpecial, addSpecial: false).map { tokens[Int($0)] }
    }

    private func encodePlain(_ bytes: ArraySlice<UInt8>, into ids: inout [Int32]) {
        // The segment boundaries are added-token boundaries, which are whole UTF-8 sequences.
        let text = String(decoding: bytes, as: UTF8.self)
        let scalars = Array(text.unicodeScalars)
        var offsets: [Int] = [0]
        offsets.reserveCapacity(scalars.count + 1)
        for scalar in scalars { offsets.append(offsets[offsets.count - 1] + UTF8.width(scalar)) }
        let utf8 = Array(text.utf8)
        for piece in preTokenizer.pieceRanges(scalars) {
            let pieceBytes = utf8[offsets[piece.lowerBound]..<offsets[piece.upperBound]]
            if ignoreMerges, let whole = tokenIDs[ByteLevelMapping.encode(pieceBytes)] {
                ids.append(whole)
                continue
            }
            ids.append(contentsOf: merges.apply(pieceBytes.compactMap { byteIDs[Int($0)] }))
        }
    }
}
