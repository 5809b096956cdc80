// Every way a plugin library can be broken gives a one-line error naming the file and the
// problem, and the registry goes on loading the other plugins.
import Foundation
import RetortHost
import Testing

@Suite struct BadPluginTests {
    init() throws { try BuildProducts.requireBuilt() }

    func loadError(_ path: String) -> PluginLoadError? {
        do {
            _ = try PluginRegistry().load(file: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func fileThatIsNotASharedLibraryIsRefused() throws {
        let dir = try BuildProducts.temporaryDirectory()
        let path = dir + "/libretort_plugin_fake.so"
        try "not an ELF file".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(loadError(path))
        guard case .notASharedLibrary = error.reason else { Issue.record("\(error)"); return }
        #expect(error.errorDescription!.hasPrefix(path + ": not a loadable shared library"))
    }

    @Test func missingFileIsRefused() throws {
        let error = try #require(loadError("/nonexistent/libretort_plugin_x.so"))
        #expect(error.reason == .fileNotFound)
    }

    @Test func libraryWithoutEntrySymbolIsRefused() throws {
        let error = try #require(loadError(BuildProducts.fixture("NoEntry")))
        #expect(error.reason == .missingEntry)
        #expect(error.errorDescription!.contains("retort_plugin_entry"))
    }

    @Test func wrongABIVersionNamesBothVersions() throws {
        let error = try #require(loadError(BuildProducts.fixture("WrongABI")))
        #expect(error.reason == .abiMajorMismatch(plugin: "99.0", host: HostABI.versionString))
        #expect(error.errorDescription!.contains("ABI 99.0"))
        #expect(error.errorDescription!.contains("ABI \(HostABI.versionString)"))
    }

    @Test func nullEntryFunctionIsRefusedBeforeItIsCalled() throws {
        let error = try #require(loadError(BuildProducts.fixture("NullFunction")))
        #expect(error.reason == .nullFunction("entry deinit"))
    }

    @Test func nullExtensionFunctionIsRefused() throws {
        let error = try #require(loadError(BuildProducts.fixture("NullExtensionFunction")))
        #expect(error.reason == .nullFunction("retort.parser.v1 parse"))
    }

    @Test func manifestThatIsNotJSONIsRefused() throws {
        let error = try #require(loadError(BuildProducts.fixture("BadManifest")))
        guard case .invalidJSON(let id, let message) = error.reason else { Issue.record("\(error)"); return }
        #expect(id == "retort.describe.v1")
        #expect(message.contains("line 1, column 32"))
    }

    @Test func manifestWithoutRequiredFieldsNamesThem() throws {
        let error = try #require(loadError(BuildProducts.fixture("IncompleteManifest")))
        #expect(error.reason == .invalidManifest("missing field \"kind\"; missing field \"version\""))
    }

    @Test func toolWhoseSymbolIsNotExportedIsRefusedAtLoad() throws {
        let error = try #require(loadError(BuildProducts.fixture("MissingToolSymbol")))
        #expect(error.reason == .invalidDescriptor(
            extensionID: "retort.tools.v1",
            message: "tool \"ghost\": symbol `fixture_ghost_tool` is not exported by the library"))
    }

    @Test func twoPluginsWithTheSameIDAreADuplicate() throws {
        let dir = try BuildProducts.temporaryDirectory()
        let copy = dir + "/libretort_plugin_c_example_copy.so"
        try FileManager.default.copyItem(atPath: BuildProducts.cExample, toPath: copy)
        let registry = PluginRegistry()
        registry.load(searchPath: [BuildProducts.cExample, copy])
        #expect(registry.plugins.map(\.id) == ["c-example"])
        #expect(registry.failures.count == 1)
        #expect(registry.failures.first?.reason == .duplicateID("c-example", firstPath: registry.plugins[0].path))
        #expect(registry.failures.first?.path == copy)
    }

    @Test func theSameLibraryReachedTwiceLoadsOnce() throws {
        let registry = PluginRegistry()
        registry.load(searchPath: [BuildProducts.cExample, BuildProducts.cExample])
        #expect(registry.plugins.count == 1)
        #expect(registry.failures.isEmpty)
    }

    @Test func registryKeepsLoadingAfterEveryKindOfFailure() throws {
        let registry = PluginRegistry()
        let broken = ["NoEntry", "WrongABI", "NullFunction", "NullExtensionFunction", "BadManifest", "IncompleteManifest",
                      "MissingToolSymbol"]
        registry.load(searchPath: broken.map(BuildProducts.fixture) + [BuildProducts.cExample, "/nonexistent",
                                                                       BuildProducts.swiftExample])
        #expect(registry.plugins.map(\.id) == ["c-example", "swift-example"])
        #expect(registry.failures.count == broken.count + 1)
        #expect(registry.failures.allSatisfy { !$0.errorDescription!.contains("\n") })
    }

    @Test func folderScanLoadsOnlyPluginLibraries() throws {
        let registry = PluginRegistry()
        registry.load(searchPath: [BuildProducts.directory])
        // The fixtures sit in the same folder but are not named libretort_plugin_*.
        #expect(Set(registry.plugins.map(\.id)).isSuperset(of: ["c-example", "swift-example"]))
        #expect(registry.failures.isEmpty, "\(registry.failures)")
    }
}
