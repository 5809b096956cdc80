// The report as a browser paints it: scripts/render-report.sh renders the comparison of two full
// synthetic runs with headless Chromium at 1280 px. Skipped, with the reason, where Chromium is not
// installed. Set RETORT_REPORT_PNG_DIR to keep the runs, the reports and the PNG there to look at.
import Foundation
@testable import RetortPipeline
import Testing

@Suite struct ReportRenderingTests {
    static let chromium: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }()

    static var script: String {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/render-report.sh").path
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (apt-get install -y chromium); the rendering check is skipped"))
    func comparisonReportRendersInHeadlessChromiumAt1280Pixels() throws {
        // With RETORT_REPORT_PNG_DIR the runs, the report and the PNG stay there to be looked at.
        let keep = ProcessInfo.processInfo.environment["RETORT_REPORT_PNG_DIR"]
        let root = keep ?? ReportFixtures.runDirectory("render")
        defer { if keep == nil { ReportFixtures.remove(root) } }
        let first = root + "/run-gpt", second = root + "/run-haiku"
        ReportFixtures.remove(first)
        ReportFixtures.remove(second)
        try ReportFixtures.fullRun(at: first)
        try ReportFixtures.fullRun(at: second, ReportFixtures.haikuShape)
        try RunReport.write(runDirectory: first, to: root + "/report.html")
        let outcome = try RunReport.write(runDirectory: first, comparing: [second], to: root + "/compare.html")
        let png = root + "/compare.png"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Self.script, outcome.path, png, "2400"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "render-report.sh failed: \(stderr)")

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        try #require(bytes.count > 24)
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280 && height == 2400)
        // A blank page compresses to a few kilobytes; charts, tables and text do not.
        #expect(bytes.count > 60_000, "the screenshot is nearly empty (\(bytes.count) bytes)")
    }

    @Test func renderScriptExplainsItsArguments() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Self.script, "/nonexistent/report.html", "/tmp/x.png"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr.contains("/nonexistent/report.html is not a file"))
    }
}
