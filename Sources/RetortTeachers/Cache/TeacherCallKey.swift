// The cache key of a teacher call. It is the lowercase hex SHA-256 of the UTF-8 bytes of this JSON
// text (compact, keys sorted, as `JSONValue.jsonText` writes it):
//
//     {"backend":<identity.backend>,"endpoint":<identity.endpoint or null>,"model":<identity.model>,
//      "request":<request.canonicalJSON>}
//
// JSON quoting keeps the parts apart (no separator can be forged by a model name), and every field
// of the request is in its canonical form, so equal calls get equal keys across runs and machines.
// Changing this form orphans every stored call: do it only with a new "v" in the run store.
import Crypto
import Foundation
import RetortJSON

public enum TeacherCallKey {
    /// The exact text that is hashed.
    public static func keyText(identity: TeacherIdentity, request: TeacherRequest) -> String {
        let object: JSONValue = [
            "backend": .string(identity.backend),
            "endpoint": identity.endpoint.map { .string($0) } ?? .null,
            "model": .string(identity.model),
            "request": request.canonicalJSON,
        ]
        return object.jsonText
    }

    public static func key(identity: TeacherIdentity, request: TeacherRequest) -> String {
        let digest = SHA256.hash(data: Data(keyText(identity: identity, request: request).utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
