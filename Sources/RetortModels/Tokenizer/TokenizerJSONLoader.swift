// Building a BPETokenizer from a Hugging Face tokenizer.json: model (type BPE: vocab, merges as
// "a b" strings or [a, b] pairs, ignore_merges), added_tokens, normalizer, pre_tokenizer and a
// TemplateProcessing post_processor for BOS/EOS. A model with byte_fallback is SentencePiece-style
// (TokenizerJSONSentencePiece). Malformed or unsupported files are errors.
import Foundation
import RetortJSON

extension BPETokenizer {
    /// Reads a tokenizer.json file.
    public init(contentsOfTokenizerJSON path: String) throws(TokenizerError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        try self.init(tokenizerJSON: text)
    }

    /// Parses tokenizer.json text.
    public init(tokenizerJSON text: String) throws(TokenizerError) {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: text)
        } catch {
            throw .malformedJSON(error.message)
        }
        guard root.objectValue != nil else { throw .invalidField("(root)", reason: "expected an object, found \(root.typeName)") }
        guard let model = root["model"], model.objectValue != nil else { throw .missingField("model") }
        let type = model["type"]?.stringValue ?? "BPE"
        guard type == "BPE" else { throw .unsupported(component: "model.type", value: type) }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = model[field], v != .null, v.stringValue != "" { throw .unsupported(component: "model.\(field)", value: v.jsonText) }
        }
        guard let vocab = model["vocab"]?.objectValue else { throw .missingField("model.vocab") }
        guard let mergeValues = model["merges"]?.arrayValue else { throw .missingField("model.merges") }

        var byID: [Int: String] = [:]
        for (token, value) in vocab {
            let id = try Self.id(value, field: "model.vocab[\"\(token)\"]")
            if let other = byID[id] { throw .invalidField("model.vocab", reason: "\"\(token)\" and \"\(other)\" share id \(id)") }
            byID[id] = token
        }
        var added: [AddedToken] = []
        for (i, entry) in (root["added_tokens"]?.arrayValue ?? []).enumerated() {
            let path = "added_tokens[\(i)]"
            guard let content = entry["content"]?.stringValue else { throw .missingField("\(path).content") }
            guard let idValue = entry["id"] else { throw .missingField("\(path).id") }
            let id = try Self.id(idValue, field: "\(path).id")
            for flag in ["lstrip", "rstrip", "single_word"] where entry[flag]?.boolValue == true {
                throw .unsupported(component: "\(path).\(flag)", value: "true")
            }
            if let existing = byID[id], existing != content {
                throw .invalidField(path, reason: "id \(id) is \"\(existing)\" in the vocabulary")
            }
            byID[id] = content
            added.append(AddedToken(content: content, id: Int32(id), special: entry["special"]?.boolValue ?? false))
        }
        let count = (byID.keys.max() ?? -1) + 1
        guard byID.count == count else {
            let missing = (0..<count).first { byID[$0] == nil } ?? 0
            throw .invalidField("model.vocab", reason: "ids are not contiguous: no token has id \(missing)")
        }
        let tokens = (0..<count).map { byID[$0]! }

        var pairs: [(String, String)] = []
        pairs.reserveCapacity(mergeValues.count)
        for (i, value) in mergeValues.enumerated() {
            if let pair = value.arrayValue, pair.count == 2, let l = pair[0].stringValue, let r = pair[1].stringValue {
                pairs.append((l, r))
            } else if let s = value.stringValue, let space = s.unicodeScalars.dropFirst().firstIndex(of: " ") {
                pairs.append((String(s.unicodeScalars[..<space]), String(s.unicodeScalars[s.unicodeScalars.index(after: space)...])))
            } else {
                throw .invalidMerge(index: i, merge: value.jsonText, reason: "expected \"a b\" or [\"a\", \"b\"]")
            }
        }

        if model["byte_fallback"]?.boolValue == true {
            try self.init(sentencePieceJSON: root, model: model, tokens: tokens, addedTokens: added, mergePairs: pairs)
            return
        }
        guard let pre = root["pre_tokenizer"], pre != .null else { throw .missingField("pre_tokenizer") }
        let steps = try TokenizerJSONPreTokenizer.steps(pre)
        let nfc = try TokenizerJSONPreTokenizer.normalizesNFC(root["normalizer"])
        let (bos, eos) = try Self.templateSpecials(root["post_processor"], tokens: tokens)
        try self.init(
            tokens: tokens, mergePairs: pairs, addedTokens: added, bosID: bos, eosID: eos,
            addBOS: bos != nil, addEOS: eos != nil, preTokenizer: PreTokenizer(steps: steps),
            ignoreMerges: model["ignore_merges"]?.boolValue ?? false, normalizeNFC: nfc)
    }

    private static func id(_ value: JSONValue, field: String) throws(TokenizerError) -> Int {
        guard let n = value.doubleValue, n >= 0, n < Double(Int32.max), n.rounded() == n else {
            throw .invalidField(field, reason: "expected a token id, found \(value.jsonText)")
        }
        return Int(n)
    }

    /// BOS/EOS from a TemplateProcessing `single` template: one special token before `$A`, one
    /// after. ByteLevel (and null) add nothing; a Sequence is searched for its template.
    static func templateSpecials(_ value: JSONValue?, tokens: [String]) throws(TokenizerError) -> (Int32?, Int32?) {
        guard let value, value != .null else { return (nil, nil) }
        switch value["type"]?.stringValue {
        case "ByteLevel":
            return (nil, nil)
        case "Sequence":
            var result: (Int32?, Int32?) = (nil, nil)
            for item in value["processors"]?.arrayValue ?? [] {
                let (b, e) = try templateSpecials(item, tokens: tokens)
                result = (b ?? result.0, e ?? result.1)
            }
            return result
        case "TemplateProcessing":
            guard let single = value["single"]?.arrayValue else { throw .missingField("post_processor.single") }
            var before: [String] = [], after: [String] = [], seenSequence = false
            for piece in single {
                if piece["Sequence"] != nil { seenSequence = true; continue }
                guard let name = piece["SpecialToken"]?["id"]?.stringValue else {
                    throw .invalidField("post_processor.single", reason: "unexpected piece \(piece.jsonText)")
                }
                if seenSequence { after.append(name) } else { before.append(name) }
            }
            guard before.count <= 1, after.count <= 1 else {
                throw .unsupported(component: "post_processor.single", value: single.map(\.jsonText).joined(separator: " "))
            }
            func lookup(_ name: String?) throws(TokenizerError) -> Int32? {
                guard let name else { return nil }
                guard let id = tokens.firstIndex(of: name) else {
                    throw .invalidField("post_processor", reason: "special token \"\(name)\" is not in the vocabulary")
                }
                return Int32(id)
            }
            return (try lookup(before.first), try lookup(after.first))
        case let other:
            throw .unsupported(component: "post_processor", value: other ?? value.jsonText)
        }
    }
}
