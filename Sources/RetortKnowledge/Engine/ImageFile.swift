// One image a stage sends to its teacher: a PNG or JPEG file inside a plugin's folder, checked
// (format, size, no way out of the folder), hashed, and encoded as the base64 data URL the OpenAI
// chat API takes in an `image_url` content part. Records keep its reference, never its bytes.
import Crypto
import Foundation
import RetortJSON

public struct ImageFile: Sendable, Hashable {
    /// The path records store: relative to the plugin's folder.
    public var path: String
    /// "image/png" or "image/jpeg", read from the file's first bytes, not its name.
    public var mediaType: String
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String
    public var bytes: Data

    /// OpenAI's per-image limit; larger files are refused before any request is made.
    public static let maximumBytes = 20 << 20

    /// `data:image/png;base64,…` for an `image_url` content part.
    public var dataURL: String { "data:\(mediaType);base64,\(bytes.base64EncodedString())" }

    /// What a kept record stores about the image.
    public var reference: JSONValue {
        ["path": .string(path), "sha256": .string(sha256), "media_type": .string(mediaType), "bytes": .number(Double(bytes.count))]
    }

    /// Reads `relative` (as an input item gives it) from `folder` (relative to `pluginFolder`, ""
    /// for the plugin folder itself). `owner` names the item in errors.
    public static func read(_ relative: String, folder: String, pluginFolder: String, owner: String) throws -> ImageFile {
        let path = try pluginRelativePath(relative, folder: folder, owner: owner)
        let full = pluginFolder + "/" + path
        func failure(_ problem: String) -> InputError {
            InputError(message: "\(owner): image \(path) (\(full)) \(problem)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else {
            throw failure("does not exist; put the PNG or JPEG file there or fix the item's \"image\"")
        }
        guard !isDirectory.boolValue else { throw failure("is a folder, not an image file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumBytes else {
            throw failure("has \(size) bytes, more than the \(maximumBytes)-byte limit for one image; scale it down")
        }
        guard let bytes = FileManager.default.contents(atPath: full) else { throw failure("cannot be read (check its permissions)") }
        guard let mediaType = mediaType(of: bytes) else {
            throw failure("is neither a PNG nor a JPEG (its first bytes are \(bytes.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")))")
        }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return ImageFile(path: path, mediaType: mediaType, sha256: digest, bytes: bytes)
    }

    /// `folder/relative`, refused when it is empty, absolute or climbs out with `..`: a seed item
    /// names a file of its plugin, nothing else on the machine.
    static func pluginRelativePath(_ relative: String, folder: String, owner: String) throws -> String {
        let trimmed = relative.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw InputError(message: "\(owner): \"image\" is empty; give a PNG or JPEG file's path") }
        guard !trimmed.hasPrefix("/"), !trimmed.hasPrefix("~"), !trimmed.contains("\\") else {
            throw InputError(message: "\(owner): image \(trimmed) must be a path relative to the plugin's folder (forward slashes, no leading / or ~)")
        }
        let components = (folder.isEmpty ? [] : folder.split(separator: "/").map(String.init)) + trimmed.split(separator: "/").map(String.init)
        guard !components.contains("..") else {
            throw InputError(message: "\(owner): image \(trimmed) leaves the plugin's folder (\"..\"); images must lie inside it")
        }
        return components.filter { $0 != "." }.joined(separator: "/")
    }

    /// PNG's eight-byte signature or JPEG's start-of-image marker.
    static func mediaType(of bytes: Data) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        return nil
    }
}
