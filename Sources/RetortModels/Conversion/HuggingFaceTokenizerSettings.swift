// What a Hugging Face folder says about its tokenizer beyond tokenizer.json: the special tokens
// and whether BOS/EOS are added (tokenizer_config.json, else config.json's ids), and the chat
// template (chat_template.jinja, else tokenizer_config.json's chat_template — a string, or a list
// of named templates of which "default" is used).
import Foundation
import RetortJSON

struct HuggingFaceTokenizerSettings {
    var bosTokenID: Int?
    var eosTokenID: Int?
    var paddingTokenID: Int?
    var addBOSToken: Bool?
    var addEOSToken: Bool?
    var chatTemplate: String?

    init(folder: String, config: JSONValue, tokenizer: BPETokenizer) throws {
        let configPath = folder + "/tokenizer_config.json"
        let settings: JSONValue? = FileManager.default.fileExists(atPath: configPath) ? try HuggingFaceModelFolder.readJSON(configPath) : nil

        /// A special token named in tokenizer_config.json (a string, or an object with `content`).
        func namedToken(_ key: String) throws -> Int? {
            guard let value = settings?[key], value != .null else { return nil }
            guard let text = value.stringValue ?? value["content"]?.stringValue else {
                throw ModelConversionError(file: configPath, "\(key) is \(value.jsonText), expected a token string")
            }
            guard let id = tokenizer.id(of: text) else {
                throw ModelConversionError(file: configPath, "\(key) \"\(text)\" is not in tokenizer.json's vocabulary")
            }
            return Int(id)
        }
        /// An id from config.json (an integer, or a list whose first entry is used).
        func configID(_ key: String) throws -> Int? {
            guard let value = config[key], value != .null else { return nil }
            guard let n = (value.arrayValue?.first ?? value).doubleValue, n >= 0, n == n.rounded(),
                  Int(n) < tokenizer.vocabularySize
            else {
                throw ModelConversionError(file: folder + "/config.json", "\(key) is \(value.jsonText), not a token id of the vocabulary")
            }
            return Int(n)
        }
        bosTokenID = try namedToken("bos_token") ?? configID("bos_token_id")
        eosTokenID = try namedToken("eos_token") ?? configID("eos_token_id")
        paddingTokenID = try namedToken("pad_token") ?? configID("pad_token_id")
        addBOSToken = settings?["add_bos_token"]?.boolValue
        addEOSToken = settings?["add_eos_token"]?.boolValue

        let templatePath = folder + "/chat_template.jinja"
        if FileManager.default.fileExists(atPath: templatePath) {
            do {
                chatTemplate = try String(contentsOfFile: templatePath, encoding: .utf8)
            } catch {
                throw ModelConversionError(file: templatePath, "cannot be read: \(error.localizedDescription)")
            }
        } else if let value = settings?["chat_template"], value != .null {
            if let text = value.stringValue {
                chatTemplate = text
            } else if let named = value.arrayValue,
                      let chosen = named.first(where: { $0["name"]?.stringValue == "default" }) ?? named.first,
                      let text = chosen["template"]?.stringValue {
                chatTemplate = text
            } else {
                throw ModelConversionError(file: configPath, "chat_template is \(value.typeName), expected a string or a list of {name, template}")
            }
        }
    }
}
