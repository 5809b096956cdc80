// The citation check as a native tool (retort.tools.v1), for checking any text against the
// citation list in force — the shipped one, or the file RETORT_LAW_CITATIONS names:
//   retort tools call law.check_citations --args '{"text": "See Smith v. Jones, 123 U.S. 456 (1999)."}'
import Foundation
import RetortPluginSDK

enum CitationTools {
    static let all: [Tool] = [
        Tool(
            name: "check_citations",
            description: "Finds the statute and case citations in a text and says which are on the citation list in force "
                + "(RETORT_LAW_CITATIONS, else the shipped list) and why the others are not.",
            parameters: ["type": "object", "properties": ["text": ["type": "string", "description": "The text to check."]], "required": ["text"]],
            signature: "char * (const char *text)", symbol: "retort_law_check_citations"),
    ]

    static func check(_ text: String) -> JSONValue {
        do {
            let list = try CitationList.resolve(context: [:])
            let found = CitationScanner.scan(text)
            return [
                "list": .string(list.source),
                "citations": .array(found.map { citation in
                    var entry = citation.json.mapValues { JSONValue.string($0) }
                    if let problem = list.problem(with: citation) { entry["problem"] = .string(problem) }
                    entry["known"] = .bool(list.problem(with: citation) == nil)
                    return .object(entry)
                }),
            ]
        } catch let failure as PluginFailure {
            return ["error": .string(failure.message)]
        } catch {
            return ["error": .string("\(error)")]
        }
    }
}

extension PluginFailure {
    var message: String {
        switch self {
        case .invalidArgument(let m), .parse(let m), .notFound(let m), .unsupported(let m), .internal(let m): m
        }
    }
}

@_cdecl("retort_law_check_citations")
public func retortLawCheckCitations(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(CitationTools.check(text.map { String(cString: $0) } ?? "").jsonText)
}
