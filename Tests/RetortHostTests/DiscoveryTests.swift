// The plugin search path: --plugin-path first, else RETORT_PLUGIN_PATH, else beside the executable.
import RetortHost
import Testing

@Suite struct DiscoveryTests {
    @Test func explicitPathsWinAndSplitOnColons() {
        let path = PluginDiscovery.searchPath(explicit: ["/a:/b", "/c"], environment: ["RETORT_PLUGIN_PATH": "/env"],
                                              executableDirectory: "/exe")
        #expect(path == ["/a", "/b", "/c"])
    }

    @Test func environmentIsUsedWithoutExplicitPaths() {
        let path = PluginDiscovery.searchPath(explicit: [], environment: ["RETORT_PLUGIN_PATH": "/x::/y"],
                                              executableDirectory: "/exe")
        #expect(path == ["/x", "/y"])
    }

    @Test func executableFolderIsTheFallback() {
        #expect(PluginDiscovery.searchPath(explicit: [], environment: [:], executableDirectory: "/exe") == ["/exe"])
    }

    @Test func onlyPluginNamedLibrariesAreScanned() {
        #expect(PluginDiscovery.isPluginLibraryName("libretort_plugin_medical.so"))
        #expect(PluginDiscovery.isPluginLibraryName("retort_plugin_law.dylib"))
        #expect(!PluginDiscovery.isPluginLibraryName("libretort_fixture_WrongABI.so"))
        #expect(!PluginDiscovery.isPluginLibraryName("libretort_plugin_notes.txt"))
    }
}
