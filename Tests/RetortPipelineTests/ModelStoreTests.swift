// The model store: which folder is in force, how model names resolve, listing, checksums.
import Foundation
@testable import RetortPipeline
import Testing

@Suite struct ModelStoreTests {
    @Test func explicitFolderWinsThenEnvironmentThenCache() {
        #expect(ModelStore.directory(explicit: "/m", environment: ["RETORT_MODELS": "/env"]) == "/m")
        #expect(ModelStore.directory(explicit: nil, environment: ["RETORT_MODELS": "/env"]) == "/env")
        #expect(ModelStore.directory(explicit: nil, environment: [:]).hasSuffix("/.cache/retort/models"))
    }

    @Test func aliasesResolveInTheFolderAndSayHowToFetchWhenMissing() throws {
        let folder = NSTemporaryDirectory() + "retort-models-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            _ = try ModelStore.resolve("smollm2-135m-instruct", directory: folder)
            Issue.record("expected an error")
        } catch {
            #expect("\(error.localizedDescription)".contains("retort models pull smollm2-135m-instruct"))
        }
        let file = folder + "/SmolLM2-135M-Instruct.Q4_1.gguf"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try ModelStore.resolve("smollm2-135m-instruct", directory: folder) == file)
        #expect(ModelStore.list(directory: folder).map(\.alias) == ["smollm2-135m-instruct"])
        #expect(try ModelStore.resolve(file, directory: "/elsewhere") == file, "a path names itself")
        #expect(throws: ModelStoreError.self) { try ModelStore.resolve("no-such-model", directory: folder) }
    }

    @Test func checksumIsSHA256() throws {
        let file = NSTemporaryDirectory() + "retort-sha-" + UUID().uuidString
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try ModelStore.sha256(of: file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func unknownAliasIsRefusedBeforeDownloading() {
        #expect(throws: ModelStoreError.self) { try ModelStore.pull("gpt-5", directory: NSTemporaryDirectory()) }
    }
}
