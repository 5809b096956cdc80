// The LocalTeacher over the real SmolLM2 model, loaded once for every test (the teacher serializes
// its own calls). Missing, the tests fail and say how to get it.
import Foundation
import RetortTeachers

enum LocalTeacherTestModel {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// $RETORT_TEST_GGUF, else ~/.cache/retort/models/<fileName>.
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/" + fileName
    }

    private static let loaded: Result<LocalTeacher, any Error> = Result {
        guard FileManager.default.fileExists(atPath: path) else { throw MissingModel(path: path) }
        return try LocalTeacher(modelPath: path)
    }

    static func teacher() throws -> LocalTeacher { try loaded.get() }

    struct MissingModel: Error, CustomStringConvertible {
        let path: String
        var description: String { "SmolLM2 model missing at \(path): run `make setup` (or set RETORT_TEST_GGUF)" }
    }
}
