// The shipped example recipe runs offline with the embedded teacher, and `retort data stats`
// reports what it kept, as the recipe's header says.
import Foundation
import RetortJSON
import Testing

@Suite struct ExampleRecipeTests {
    static var examplesFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/recipes").path
    }

    @Test func instructElicitRunsOfflineThenReportsStats() throws {
        let run = NSTemporaryDirectory() + "retort-example-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: run) }
        let elicit = try RetortCommand.run(["elicit", Self.examplesFolder + "/instruct-elicit.yaml", "--run-dir", run, "--quiet"])
        #expect(elicit.status == 0, "\(elicit.stderr)")
        let stats = try RetortCommand.run(["data", "stats", run, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let json = try JSONValue(parsing: stats.stdout)
        #expect((json["records"]?["total"]?.doubleValue ?? 0) > 0, "\(stats.stdout)")
        #expect((json["teacher"]?["calls"]?.doubleValue ?? 0) > 0, "\(stats.stdout)")
    }
}
