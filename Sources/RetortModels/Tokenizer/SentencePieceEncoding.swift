// Encoding one plain-text segment with a SentencePiece-style vocabulary: spaces become "▁", a "▁"
// prefix is added where the options say, each character is a symbol, and runs of characters the
// vocabulary has are merged (by score or rank, see BPETokenizer+SentencePiece). A character the
// vocabulary lacks cannot merge with anything; it becomes its UTF-8 bytes as <0xXX> tokens, or
// the unknown token when there are no byte tokens.

extension BPETokenizer {
    func encodeSentencePiece(
        _ bytes: ArraySlice<UInt8>, startsText: Bool, options: SentencePieceOptions, into ids: inout [Int32]
    ) {
        // Segment boundaries are added-token boundaries, which are whole UTF-8 sequences.
        let text = String(decoding: bytes, as: UTF8.self)
        guard let first = text.unicodeScalars.first else { return }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count + 1)
        if options.prefixes(segmentStartsText: startsText, firstScalar: first) { scalars.append(SentencePieceOptions.space) }
        for scalar in text.unicodeScalars { scalars.append(scalar == " " ? SentencePieceOptions.space : scalar) }

        var run: [Int32] = []
        var previousWasUnknown = false
        for scalar in scalars {
            if let id = tokenIDs[String(scalar)], !specialIDs.contains(id) {
                run.append(id)
                continue
            }
            if !run.isEmpty {
                ids.append(contentsOf: merges.apply(run))
                run.removeAll(keepingCapacity: true)
                previousWasUnknown = false
            }
            let utf8 = String(scalar).utf8
            let fallback = utf8.compactMap { byteIDs[Int($0)] }
            if fallback.count == utf8.count {
                ids.append(contentsOf: fallback)
                previousWasUnknown = false
            } else if let unknownID {
                if !(options.fusesUnknown && previousWasUnknown) { ids.append(unknownID) }
                previousWasUnknown = true
            }
        }
        if !run.isEmpty { ids.append(contentsOf: merges.apply(run)) }
    }
}
