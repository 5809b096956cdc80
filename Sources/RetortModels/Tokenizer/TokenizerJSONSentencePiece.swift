// Reading a tokenizer.json whose BPE model has `byte_fallback` (Llama 2, Mistral, converted from
// SentencePiece): the "▁" spelling comes from the normalizer (Sequence[Prepend("▁"), Replace(" ",
// "▁")], the legacy form) or a Metaspace pre-tokenizer (the newer form), and the decoder must undo
// it (Replace("▁", " "), ByteFallback, Fuse, Strip). Other components are `unsupported` errors
// rather than a tokenizer that encodes differently from the reference.
import RetortJSON

extension BPETokenizer {
    init(
        sentencePieceJSON root: JSONValue, model: JSONValue, tokens: [String], addedTokens: [AddedToken], mergePairs: [(String, String)]
    ) throws(TokenizerError) {
        if model["ignore_merges"]?.boolValue == true { throw .unsupported(component: "model.ignore_merges", value: "true with byte_fallback") }
        var unknownID: Int32?
        if let name = model["unk_token"], name != .null {
            guard let text = name.stringValue, let index = tokens.firstIndex(of: text) else {
                throw .invalidField("model.unk_token", reason: "\(name.jsonText) is not in the vocabulary")
            }
            unknownID = Int32(index)
        }
        let prefix = try TokenizerJSONSentencePiece.spacePrefix(normalizer: root["normalizer"], preTokenizer: root["pre_tokenizer"])
        let strips = try TokenizerJSONSentencePiece.stripsLeadingSpace(root["decoder"])
        let (bos, eos) = try Self.templateSpecials(root["post_processor"], tokens: tokens)
        try self.init(
            sentencePieceTokens: tokens, mergePairs: mergePairs, addedTokens: addedTokens, bosID: bos, eosID: eos,
            unknownID: unknownID, addBOS: bos != nil, addEOS: eos != nil,
            options: SentencePieceOptions(
                spacePrefix: prefix, stripsLeadingSpace: strips, fusesUnknown: model["fuse_unk"]?.boolValue ?? false))
    }
}

enum TokenizerJSONSentencePiece {
    static let space = String(SentencePieceOptions.space)

    /// Where the "▁" prefix goes, from the normalizer and pre-tokenizer together; one of them
    /// must write spaces as "▁".
    static func spacePrefix(normalizer: JSONValue?, preTokenizer: JSONValue?) throws(TokenizerError) -> SentencePieceOptions.SpacePrefix {
        var prepends = false, replaces = false
        if let normalizer, normalizer != .null {
            let items = normalizer["type"]?.stringValue == "Sequence" ? normalizer["normalizers"]?.arrayValue ?? [] : [normalizer]
            for item in items {
                switch item["type"]?.stringValue {
                case "Prepend" where item["prepend"]?.stringValue == space: prepends = true
                case "Replace" where item["pattern"]?["String"]?.stringValue == " " && item["content"]?.stringValue == space: replaces = true
                default: throw .unsupported(component: "normalizer", value: item.jsonText)
                }
            }
        }
        var metaspace: SentencePieceOptions.SpacePrefix?
        if let pre = preTokenizer, pre != .null {
            guard pre["type"]?.stringValue == "Metaspace", pre["replacement"]?.stringValue == space else {
                throw .unsupported(component: "pre_tokenizer", value: pre.jsonText)
            }
            // split (true by default) cuts the text before every "▁", which this code does not do.
            if pre["split"]?.boolValue ?? true { throw .unsupported(component: "pre_tokenizer.split", value: "true") }
            metaspace = switch pre["prepend_scheme"]?.stringValue ?? (pre["add_prefix_space"]?.boolValue == false ? "never" : "always") {
            case "always": .everySegmentNotStartingWithSpace
            case "first": .textStartNotStartingWithSpace
            case "never": SentencePieceOptions.SpacePrefix.none
            case let other: throw .unsupported(component: "pre_tokenizer.prepend_scheme", value: other)
            }
        }
        guard replaces || metaspace != nil else {
            throw .unsupported(component: "normalizer", value: "byte_fallback BPE needs spaces written as ▁ (a Replace normalizer or a Metaspace pre_tokenizer); this one keeps them")
        }
        if prepends { return .everySegment }
        return metaspace ?? .none
    }

    /// Whether the decoder drops the leading space; it must also turn "▁" into spaces and
    /// <0xXX> tokens into bytes.
    static func stripsLeadingSpace(_ decoder: JSONValue?) throws(TokenizerError) -> Bool {
        guard let decoder, decoder != .null else { throw .missingField("decoder") }
        let items = decoder["type"]?.stringValue == "Sequence" ? decoder["decoders"]?.arrayValue ?? [] : [decoder]
        var strips = false, unspaces = false, bytes = false
        for item in items {
            switch item["type"]?.stringValue {
            case "Replace" where item["pattern"]?["String"]?.stringValue == space && item["content"]?.stringValue == " ":
                unspaces = true
            case "ByteFallback": bytes = true
            case "Fuse": break
            case "Strip" where item["content"]?.stringValue == " " && item["stop"]?.doubleValue == 0:
                switch item["start"]?.doubleValue {
                case 0: break
                case 1: strips = true
                default: throw .unsupported(component: "decoder", value: item.jsonText)
                }
            case "Metaspace" where item["replacement"]?.stringValue == space:
                unspaces = true
                let scheme = item["prepend_scheme"]?.stringValue ?? (item["add_prefix_space"]?.boolValue == false ? "never" : "always")
                strips = strips || scheme != "never"
            default:
                throw .unsupported(component: "decoder", value: item.jsonText)
            }
        }
        guard unspaces && bytes else {
            throw .unsupported(component: "decoder", value: decoder.jsonText + " (a byte_fallback model needs Replace(\"▁\", \" \") or Metaspace, and ByteFallback)")
        }
        return strips
    }
}
