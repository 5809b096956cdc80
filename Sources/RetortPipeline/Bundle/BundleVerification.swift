// `retort bundle verify`: re-checks a bundle against its manifest — every listed file present with
// its SHA-256 and size, no file the manifest does not list — then that the student GGUF parses as a
// model Retort can load and that each plugin library loads with the id the manifest gives. A file
// whose checksum differs is never loaded (a changed library is not run, even to check it).
import Foundation
import RetortHost
import RetortModels

public struct BundleProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file inside the bundle ("student.gguf", "plugins/libretort_plugin_x.so").
    public let file: String
    public let problem: String

    public var description: String { "\(file): \(problem)" }
}

public struct BundleVerification: Sendable {
    public let bundle: String
    public let manifest: BundleManifest
    public let problems: [BundleProblem]
    /// Plugin ids that loaded.
    public let loadedPlugins: [String]

    public var passed: Bool { problems.isEmpty }

    public var summary: String {
        guard passed else { return "\(bundle): \(problems.count) problem(s)" }
        let plugins = loadedPlugins.isEmpty ? "no plugins" : "plugins " + loadedPlugins.joined(separator: ", ") + " load"
        return "\(bundle): OK — \(manifest.files.count) files match the manifest; \(manifest.student) parses; \(plugins)"
    }
}

extension RunBundle {
    /// Checks the bundle at `path` (folder or .tar). Throws only when it cannot be read as a bundle
    /// at all (no manifest, a damaged archive); every other finding is a problem in the result.
    public static func verify(_ path: String) throws -> BundleVerification {
        let contents = try BundleContents(path)
        defer { contents.close() }
        let manifest = try BundleManifest.read(folder: contents.folder, bundle: path)
        let (problems, intact) = try checkFiles(manifest, contents: contents)
        var all = problems

        if intact.contains(manifest.student) {
            do {
                let file = try GGUFFile(path: contents.folder + "/" + manifest.student)
                _ = try LlamaConfig(gguf: file)
                _ = try BPETokenizer(gguf: GGUFModelInfo(file).tokenizer)
            } catch {
                all.append(BundleProblem(file: manifest.student, problem: "is not a model Retort can load: \(describe(error))"))
            }
        } else if !manifest.files.contains(where: { $0.path == manifest.student }) {
            all.append(BundleProblem(file: manifest.student, problem: "is named as the student but not listed with a checksum"))
        }

        var loaded: [String] = []
        let registry = PluginRegistry()
        for plugin in manifest.plugins {
            guard intact.contains(plugin.file) else {
                if !manifest.files.contains(where: { $0.path == plugin.file }) {
                    all.append(BundleProblem(file: plugin.file, problem: "is named as plugin \(plugin.id) but not listed with a checksum"))
                }
                continue
            }
            do {
                let library = try registry.load(file: contents.folder + "/" + plugin.file)
                if library.id == plugin.id {
                    loaded.append(library.id)
                } else {
                    all.append(BundleProblem(file: plugin.file, problem: "loads as plugin \(library.id), but the manifest says \(plugin.id)"))
                }
            } catch {
                all.append(BundleProblem(file: plugin.file, problem: "does not load: \(error.localizedDescription)"))
            }
        }
        return BundleVerification(bundle: path, manifest: manifest, problems: all, loadedPlugins: loaded)
    }

    /// Problems with the listed files, and the paths whose bytes match the manifest.
    static func checkFiles(_ manifest: BundleManifest, contents: BundleContents) throws -> ([BundleProblem], Set<String>) {
        var problems: [BundleProblem] = []
        var intact = Set<String>()
        let fm = FileManager.default
        for file in manifest.files {
            let full = contents.folder + "/" + file.path
            guard fm.fileExists(atPath: full) else {
                problems.append(BundleProblem(file: file.path, problem: "is missing"))
                continue
            }
            let digest = try FileDigest.sha256(of: full)
            let bytes = (try? fm.attributesOfItem(atPath: full)[.size] as? NSNumber)?.int64Value ?? -1
            if digest != file.sha256 {
                problems.append(BundleProblem(
                    file: file.path, problem: "differs from the manifest: SHA-256 \(digest), \(bytes) bytes; expected \(file.sha256), \(file.bytes) bytes"))
            } else {
                intact.insert(file.path)
            }
        }
        let listed = Set(manifest.files.map(\.path) + [BundleManifest.fileName])
        for path in contents.files() where !listed.contains(path) {
            problems.append(BundleProblem(file: path, problem: "is not listed in the manifest"))
        }
        return (problems, intact)
    }

    static func describe(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
