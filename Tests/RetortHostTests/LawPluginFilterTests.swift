// The known-citations filter rejects invented authorities: citations that are not on the list,
// real reporter citations with an invented case name, and cases named without a reporter that
// are not listed; a user's own list (context or RETORT_LAW_CITATIONS file) replaces the shipped
// one, and a record's input may add the authorities it offers. Also the IRAC completeness filter.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct LawPluginFilterTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try LawPluginLibrary.load()
    }

    func judge(_ answer: String, input: String = "", context: JSONValue = [:]) throws -> LoadedPlugin.FilterVerdict {
        try plugin.filter("known-citations", record: ["response": .string(answer), "input": .string(input)], context: context)
    }

    @Test func listedAuthoritiesAreKeptInAnyCommonForm() throws {
        let verdict = try judge("Under Miranda v. Arizona, 384 U.S. 436 (1966), and the Fifth Amendment, the confession is out. "
            + "See also 42 U.S.C. § 1983(a) and Carlill v Carbolic Smoke Ball Co.")
        #expect(verdict.keep)
        #expect(verdict.score == 1)
        #expect(try judge("A contract needs an offer and an acceptance.").keep, "an answer that cites nothing invents nothing")
    }

    @Test func inventedCitationsAreRejectedWithTheCitation() throws {
        let invented = try judge("The rule comes from Smith v. Jones, 123 U.S. 456 (1999).")
        #expect(invented.reason == "cites \"Smith v. Jones, 123 U.S. 456 (1999)\", which is not in the shipped list of 62 authorities")
        #expect(invented.score == 0)
        let borrowed = try judge("See Smith v. Jones, 347 U.S. 483 (1954).")
        #expect(borrowed.reason == "cites \"Smith v. Jones, 347 U.S. 483 (1954)\", but in the shipped list of 62 authorities that report is "
            + "\"Brown v. Board of Education, 347 U.S. 483 (1954)\": the case name is invented")
        let named = try judge("As Henderson v Tallis held, the duty is strict. Marbury v. Madison, 5 U.S. 137 (1803) also applies.")
        #expect(named.reason == "cites \"Henderson v Tallis\", a case that is not in the shipped list of 62 authorities")
        #expect(named.score == 0.5)
        let statute = try judge("This is governed by 18 U.S.C. § 9999 and 42 U.S.C. § 1983.")
        #expect(statute.reason == "cites \"18 U.S.C. § 9999\", which is not in the shipped list of 62 authorities")
    }

    @Test func theRecordsInputMayOfferMoreAuthorities() throws {
        let answer = "Under Henderson v Tallis [2030] UKSC 7, the duty is strict."
        #expect(!(try judge(answer).keep))
        #expect(try judge(answer, input: "Authorities:\n- Henderson v Tallis [2030] UKSC 7").keep)
    }

    @Test func aUsersListReplacesTheShippedOne() throws {
        let own: JSONValue = ["citations": ["Henderson v Tallis [2030] UKSC 7", "Data Act 2031"]]
        #expect(try judge("Henderson v Tallis [2030] UKSC 7 and the Data Act 2031 apply.", context: own).keep)
        let shippedOnly = try judge("Marbury v. Madison, 5 U.S. 137 (1803).", context: own)
        #expect(shippedOnly.reason == "cites \"Marbury v. Madison, 5 U.S. 137 (1803)\", which is not in the context's list of 2 authorities")
    }

    @Test func aListFileIsReadAndItsBadLinesNamed() throws {
        let folder = try BuildProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = folder + "/citations.txt"
        try "# my firm's authorities\nHenderson v Tallis [2030] UKSC 7\n\n12 U.S.C. § 5301\n".write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try judge("12 U.S.C. § 5301 applies, per Henderson v Tallis.", context: ["citations_file": .string(good)]).keep)
        let bad = folder + "/bad.txt"
        try "Henderson v Tallis [2030] UKSC 7\nsee the usual cases\n".write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            _ = try judge("12 U.S.C. § 5301", context: ["citations_file": .string(bad)])
            Issue.record("a list with an unreadable line was accepted")
        } catch let error as PluginCallError {
            #expect(error.status == .invalidArgument)
            #expect(error.message == "\(bad):2: \"see the usual cases\" is not a citation this plugin can read")
        }
    }

    @Test func theCheckToolReportsEachCitation() throws {
        let report = try plugin.toolReport("check_citations", ["text": "See Smith v. Jones, 347 U.S. 483 (1954), and 42 U.S.C. § 1983."])
        #expect(report["list"] == "the shipped list of 62 authorities")
        let citations = try #require(report["citations"]?.arrayValue)
        #expect(citations.compactMap { $0["known"]?.boolValue } == [false, true])
        #expect(citations.first?["problem"]?.stringValue?.contains("the case name is invented") == true)
    }

    @Test func iracCompletenessNamesTheMissingParts() throws {
        let complete = "Issue: whether there is a contract\nRule: an offer needs acceptance\nApplication: she accepted it by acting\nConclusion: there is a contract"
        #expect(try plugin.filter("irac-complete", record: ["response": .string(complete)]).keep)
        let partial = try plugin.filter("irac-complete", record: ["response": "Issue: whether there is a contract\nConclusion: yes there is one"])
        #expect(partial.reason == "the answer lacks a substantive Rule and Application part (IRAC)")
        #expect(partial.score == 0.5)
    }
}
