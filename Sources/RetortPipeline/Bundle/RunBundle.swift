// `retort bundle <run-dir> -o <dir or .tar>`: packs what a user needs to run and judge a distilled
// student on their own hardware — the student GGUF, the plugin libraries the recipe names, the
// recipe, a data card, an eval card, an Ollama Modelfile, a README, and manifest.json with the
// SHA-256 of every file. The bundle is assembled in a temporary folder and moved into place (or
// archived) only when complete; an existing output is never overwritten.
import Foundation
import RetortHost
import RetortModels

public struct BundleOptions: Sendable {
    public var runDirectory: String
    /// A folder to create, or a path ending in .tar for one archive.
    public var output: String
    /// Where to find the recipe's plugins besides its plugin_path (as --plugin-path).
    public var pluginPath: [String] = []
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init(runDirectory: String, output: String) {
        self.runDirectory = runDirectory
        self.output = output
    }
}

public struct BundleSummary: Sendable, CustomStringConvertible {
    public let output: String
    public let manifest: BundleManifest

    public var description: String {
        let bytes = manifest.files.reduce(Int64(0)) { $0 + $1.bytes }
        let plugins = manifest.plugins.isEmpty ? "no plugins" : "plugins " + manifest.plugins.map(\.id).joined(separator: ", ")
        return "wrote \(output): \(manifest.student), \(plugins), \(manifest.files.count) files, "
            + ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)
    }
}

public enum RunBundle {
    static let pluginFolder = "plugins"

    public static func create(_ options: BundleOptions) throws -> BundleSummary {
        let run = options.runDirectory
        let store = try RunStore(runDirectory: run, create: false)
        guard let recipeText = try store.meta(RunStore.MetaKey.recipe) else {
            throw BundleError("\(run): the run store holds no recipe (run_meta \"recipe\"); bundle a run started by retort")
        }
        let recipe = try Recipe.parse(recipeText, file: run + "/recipe.yaml")
        let studentPath = try studentGGUF(store: store, run: run)
        let studentFile = try GGUFFile(path: studentPath)
        let info = try GGUFModelInfo(studentFile)
        let tokenizer = try BPETokenizer(gguf: info.tokenizer)
        let plugins = try recipePlugins(recipe, options: options)

        let fm = FileManager.default
        let isArchive = options.output.lowercased().hasSuffix(".tar")
        if fm.fileExists(atPath: options.output) {
            throw BundleError("\(options.output): already exists; remove it or choose another name")
        }
        let outputURL = URL(fileURLWithPath: options.output).standardizedFileURL
        let stagingParent = isArchive ? NSTemporaryDirectory() : outputURL.deletingLastPathComponent().path
        let staging = stagingParent + "/.retort-bundle-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try fm.createDirectory(atPath: staging + "/" + pluginFolder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: staging) }

        // The files, then the manifest over them.
        let studentName = (studentPath as NSString).lastPathComponent
        try copy(studentPath, to: staging + "/" + studentName)
        var manifestPlugins: [BundleManifest.Plugin] = []
        var resourceFiles: [String] = []
        for plugin in plugins {
            let name = pluginFolder + "/" + (plugin.path as NSString).lastPathComponent
            try copy(plugin.path, to: staging + "/" + name)
            manifestPlugins.append(.init(id: plugin.id, version: plugin.manifest.version, file: name))
            for folder in resourceFolders(of: plugin) where !fm.fileExists(atPath: staging + "/" + pluginFolder + "/" + folder) {
                try copy(plugin.directory + "/" + folder, to: staging + "/" + pluginFolder + "/" + folder)
                resourceFiles += try filesBelow(staging, folder: pluginFolder + "/" + folder)
            }
        }
        let license = try? studentFile.string("general.license")
        let dataCard = DataCard(recipe: recipe, stats: try store.stats(topReasons: 20), plugins: plugins.map(\.manifest),
                                teacherLicense: teacherLicense(recipe.teacher), studentLicense: license)
        let evalCard = EvalCard(recipe: recipe, evaluations: try store.evaluations(), samples: try store.evalSamples(), student: studentName)
        let texts: [(String, String)] = [
            ("recipe.yaml", recipeText),
            ("DATA_CARD.md", dataCard.markdown),
            ("EVAL_CARD.md", evalCard.markdown),
            ("Modelfile", OllamaModelfile.make(studentFile: studentName, info: info, tokenizer: tokenizer, title: recipe.name, license: license)),
            ("README.md", readme(recipe: recipe, student: studentName, plugins: manifestPlugins)),
        ]
        for (name, text) in texts {
            try write(Data(text.utf8), to: staging + "/" + name)
        }
        var files: [BundleManifest.File] = []
        for path in ([studentName] + manifestPlugins.map(\.file) + resourceFiles + texts.map(\.0)).sorted() {
            let full = staging + "/" + path
            let bytes = (try fm.attributesOfItem(atPath: full)[.size] as? NSNumber)?.int64Value ?? 0
            files.append(.init(path: path, sha256: try FileDigest.sha256(of: full), bytes: bytes))
        }
        let manifest = BundleManifest(format: BundleManifest.formatName, version: BundleManifest.currentVersion,
                                      createdBy: RetortVersion.full, recipe: recipe.name, student: studentName,
                                      plugins: manifestPlugins, files: files)
        let manifestData = try manifest.encoded()
        try write(manifestData, to: staging + "/" + BundleManifest.fileName)

        // Into place.
        let recordedDigest: String
        if isArchive {
            let root = outputURL.deletingPathExtension().lastPathComponent
            try UstarArchive.write(folder: staging, files: [BundleManifest.fileName] + files.map(\.path), root: root, to: options.output)
            recordedDigest = try FileDigest.sha256(of: options.output)
        } else {
            guard rename(staging, options.output) == 0 else {
                throw BundleError("\(options.output): cannot be put in place: \(String(cString: strerror(errno)))")
            }
            recordedDigest = FileDigest.sha256(of: manifestData)
        }
        try store.recordArtifact(kind: "bundle", path: outputURL.path, sha256: recordedDigest)
        return BundleSummary(output: options.output, manifest: manifest)
    }

    /// The run's student GGUF (artifact kind "gguf"), checked against the SHA-256 the run recorded.
    static func studentGGUF(store: RunStore, run: String) throws -> String {
        guard let artifact = try store.artifacts().first(where: { $0.kind == "gguf" }) else {
            throw BundleError("\(run): the run has no student GGUF (no artifact of kind \"gguf\" in its store); export the student first")
        }
        // Exports record absolute paths; a relative one is the run folder's, or the working
        // directory's (how exports were recorded before, when the run folder was given relative).
        let inRun = run + "/" + artifact.path
        let path = artifact.path.hasPrefix("/") || !FileManager.default.fileExists(atPath: inRun) && FileManager.default.fileExists(atPath: artifact.path)
            ? artifact.path : inRun
        guard FileManager.default.fileExists(atPath: path) else {
            throw BundleError("\(path): the run's student GGUF is missing")
        }
        let digest = try FileDigest.sha256(of: path)
        guard artifact.sha256.isEmpty || digest == artifact.sha256.lowercased() else {
            throw BundleError("\(path): its SHA-256 is \(digest) but the run recorded \(artifact.sha256); the student changed after the run exported it")
        }
        return path
    }

    /// The recipe's plugins, found as `retort elicit` finds them: the recipe's plugin_path, then
    /// --plugin-path, $RETORT_PLUGIN_PATH or the folder beside the executable.
    static func recipePlugins(_ recipe: Recipe, options: BundleOptions) throws -> [LoadedPlugin] {
        guard !recipe.plugins.isEmpty else { return [] }
        let registry = PluginRegistry()
        registry.load(searchPath: recipe.pluginPath + PluginDiscovery.searchPath(explicit: options.pluginPath, environment: options.environment))
        return try recipe.plugins.map { id in
            guard let plugin = try? registry.plugin(id: id) else {
                let problems = registry.failures.map(\.localizedDescription).joined(separator: "; ")
                throw BundleError("\(options.runDirectory): the recipe's plugin \"\(id)\" was not found; loaded: \(registry.plugins.map(\.id).joined(separator: ", "))"
                    + (problems.isEmpty ? "" : "; load failures: \(problems)") + ". Pass --plugin-path or set RETORT_PLUGIN_PATH.")
            }
            return plugin
        }
    }

    /// What a plugin reads beside its library: the top folder (or file) of every seed file it names
    /// relative to its folder, such as SwiftPM's `<package>_<target>.resources`. The bundle
    /// carries these next to the library, so the bundled plugin finds its seeds and images.
    static func resourceFolders(of plugin: LoadedPlugin) -> [String] {
        var folders: [String] = []
        for seed in plugin.seeds {
            guard case .path(let path) = seed.source, !path.hasPrefix("/"),
                  let top = path.split(separator: "/").first.map(String.init), top != "..", top != ".",
                  FileManager.default.fileExists(atPath: plugin.directory + "/" + top), !folders.contains(top)
            else { continue }
            folders.append(top)
        }
        return folders
    }

    /// Every regular file under `root/folder`, as paths relative to `root`.
    static func filesBelow(_ root: String, folder: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root + "/" + folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [folder]
        }
        guard let walker = FileManager.default.enumerator(atPath: root + "/" + folder) else {
            throw BundleError("\(root)/\(folder): cannot be listed")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(folder + "/" + relative)
            }
        }
        return files
    }

    /// The license of a local teacher when Retort knows it (a model-store alias, or a GGUF's general.license).
    static func teacherLicense(_ teacher: TeacherSpec) -> String? {
        guard teacher.backend == .local else { return nil }
        if let known = ModelStore.known.first(where: { $0.alias == teacher.model }) { return known.license }
        guard teacher.model.hasSuffix(".gguf"), let file = try? GGUFFile(path: teacher.model) else { return nil }
        return try? file.string("general.license")
    }

    static func copy(_ source: String, to destination: String) throws {
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw BundleError("\(source): cannot be copied into the bundle: \(error.localizedDescription)")
        }
    }

    static func write(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw BundleError("\(path): cannot be written")
        }
    }

    static func readme(recipe: Recipe, student: String, plugins: [BundleManifest.Plugin]) -> String {
        """
        # \(recipe.name)

        A student model distilled by Retort, with what it needs to run and to be judged.

        | file | what it is |
        |---|---|
        | `\(student)` | the student (GGUF, runs in llama.cpp and Ollama) |
        | `Modelfile` | Ollama: `ollama create \(OllamaModelfile.ollamaName(recipe.name)) -f Modelfile` |
        | `recipe.yaml` | the recipe the run followed |
        | `DATA_CARD.md` | where the training data came from, what was kept and rejected, licenses |
        | `EVAL_CARD.md` | the student's metrics per checkpoint on the held-out set |
        | `plugins/` | the plugin libraries the recipe names: \(plugins.isEmpty ? "none" : plugins.map(\.id).joined(separator: ", ")) |
        | `manifest.json` | the SHA-256 of every file |

        Check the bundle with `retort bundle verify <this folder>` and ask the student with
        `retort bundle run <this folder> --prompt "…"`, or with llama.cpp: `llama-cli -m \(student) -cnv`.

        """
    }
}
