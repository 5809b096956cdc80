// A statute or case citation found in text, with a normalized key that identifies the authority
// however it is spelled: "42 U.S.C. § 1983(b)" and "42 USC sec. 1983" are both `usc|42|1983`;
// "Brown v. Board of Education, 347 U.S. 483 (1954)" is `reporter|347|us|483` with the parties
// `brown` and `board`.
import Foundation

struct LegalCitation: Sendable, Equatable {
    enum Kind: String, Sendable {
        case caseLaw = "case"
        case statute, rule, constitution, regulation
    }

    /// As written in the text (the case name included when it precedes a reporter citation).
    var text: String
    var kind: Kind
    /// The authority's identity: a reporter citation, a code section, a rule, an amendment, an
    /// Act and year, a regulation number — or, for a case named without a reporter, `name|a|b`.
    var key: String
    /// First significant word of each party of a case, lowercase ("brown", "board").
    var parties: [String]
    /// Where it starts in the text (UTF-16 offset), to keep citations in reading order.
    var offset: Int

    var json: [String: String] {
        ["citation": text, "kind": kind.rawValue, "normalized": key]
    }

    /// Lowercase letters and digits only: "N.Y. 2d" → "ny2d".
    static func compact(_ text: some StringProtocol) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// The word a party is matched by: its first word that is not a title or connector.
    static func partyWord(_ party: String) -> String? {
        let skipped: Set<String> = ["the", "in", "re", "ex", "parte", "rel", "of", "matter", "estate"]
        return party.split(whereSeparator: { $0 == " " || $0 == "," })
            .map { compact($0) }.first { !$0.isEmpty && !skipped.contains($0) }
    }
}
