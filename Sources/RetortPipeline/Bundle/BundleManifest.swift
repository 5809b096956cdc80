// manifest.json of a bundle: what it is (format and version, the Retort that made it, the run and
// recipe), which file is the student and which are plugins, and the SHA-256 and size of every other
// file, which `retort bundle verify` checks. No timestamps, so the same run bundles to the same bytes.
import Foundation

public struct BundleManifest: Codable, Sendable, Equatable {
    public struct Plugin: Codable, Sendable, Equatable {
        public var id: String
        public var version: String
        /// Path inside the bundle ("plugins/libretort_plugin_instruct.so").
        public var file: String
    }

    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var bytes: Int64
    }

    public static let fileName = "manifest.json"
    public static let formatName = "retort-bundle"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    public var createdBy: String
    public var recipe: String
    /// Path inside the bundle of the student GGUF.
    public var student: String
    public var plugins: [Plugin]
    /// Every file but the manifest, sorted by path.
    public var files: [File]

    enum CodingKeys: String, CodingKey {
        case format, version, createdBy = "created_by", recipe, student, plugins, files
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    static func read(folder: String, bundle: String) throws -> BundleManifest {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BundleError("\(bundle): \(fileName) is missing; this is not a Retort bundle")
        }
        let manifest: BundleManifest
        do {
            manifest = try JSONDecoder().decode(BundleManifest.self, from: data)
        } catch {
            throw BundleError("\(bundle): \(fileName) cannot be read: \(error)")
        }
        guard manifest.format == formatName, manifest.version == currentVersion else {
            throw BundleError("\(bundle): \(fileName) describes format \(manifest.format) version \(manifest.version); this Retort reads \(formatName) version \(currentVersion)")
        }
        for path in manifest.files.map(\.path) + [manifest.student] + manifest.plugins.map(\.file) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(".."), !parts.contains("") else {
                throw BundleError("\(bundle): \(fileName) lists the unsafe path \"\(path)\"")
            }
        }
        return manifest
    }
}
