// Checks and normalizes a teacher server's base URL from a recipe. The URL becomes part of the
// teacher's identity (and so of every cache key), so it must hold no credentials: keys go in
// environment variables, never in URLs.
import Foundation

enum TeacherEndpoint {
    /// `base` without a trailing slash; throws `.invalidRequest` saying what is wrong with it.
    static func normalize(_ base: String) throws(TeacherError) -> String {
        let trimmed = base.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw .invalidRequest("the teacher's base URL \"\(trimmed)\" is not an http:// or https:// URL with a host")
        }
        if components.user != nil || components.password != nil || components.query != nil {
            throw .invalidRequest(
                "the teacher's base URL must not carry credentials or a query; put the API key in an environment variable and name it in `api_key_env`")
        }
        var normalized = trimmed
        while normalized.hasSuffix("/") { normalized.removeLast() }
        return normalized
    }
}
