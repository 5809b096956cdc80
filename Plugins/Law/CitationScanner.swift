// Finds statute and case citations in text (the `citations` parser, the known-citations filter
// and the citation list itself): U.S. and English law-report citations with the case name before
// them, cases named without a reporter ("Donoghue v Stevenson"), the U.S. Code, C.F.R., U.C.C.,
// federal rules, the U.S. Constitution (also "the Fifth Amendment"), Acts with their year, and
// EU regulations and directives (also "the GDPR"). Bluebook and OSCOLA forms, with the spacing and
// punctuation variants teachers write.
import Foundation

enum CitationScanner {
    // MARK: Patterns
    // (nonisolated(unsafe): Regex is not marked Sendable, but a compiled literal is never mutated.)

    nonisolated(unsafe) static let usReporter = /(?<volume>\d{1,4})\s+(?<reporter>U\.\s?S\.|S\.\s?Ct\.|L\.\s?Ed\.(?:\s?2d)?|F\.\s?Supp\.(?:\s?[23]d)?|F\.(?:\s?(?:2d|3d|4th))?|N\.Y\.(?:\s?[23]d)?|N\.E\.(?:\s?[23]d)?|A\.(?:\s?[23]d)?|P\.(?:\s?[23]d)?|So\.(?:\s?[23]d)?|S\.W\.(?:\s?[23]d)?|S\.E\.(?:\s?2d)?|N\.W\.(?:\s?2d)?|Cal\.(?:\s?(?:2d|3d|4th|5th))?|Mich\.|N\.H\.|Va\.|Mass\.|Ill\.(?:\s?2d)?|Pa\.)\s+(?<page>\d{1,5})(?:,\s*\d{1,5})?(?:\s*\([^()]{0,40}?\d{4}\))?/
    nonisolated(unsafe) static let ukReport = /\[(?<year>\d{4})\]\s+(?:(?<volume>\d{1,2})\s+)?(?<reporter>AC|QB|KB|Ch|WLR|All\s?ER|UKSC|UKHL|UKPC|EWCA\s+(?:Civ|Crim)|EWHC|Fam|Lloyd's\s+Rep)\s+(?<page>\d{1,5})/
    nonisolated(unsafe) static let oldEnglishReport = /\((?<year>1[5-9]\d{2})\)\s+(?:(?<volume>\d{1,3})\s+)?(?<reporter>LR\s+\d+\s+(?:HL|QB|CP|Ex|Ch)|Exch|Ex|H\s?&\s?C|QBD|Ch\s?D|App\s?Cas|B\s?&\s?Ad)\s+(?<page>\d{1,5})/
    nonisolated(unsafe) static let usCode = /(?<title>\d{1,2})\s+U\.?\s?S\.?\s?C\.?(?:\s?A\.?)?\s*(?:§§?|[Ss]ec(?:tion|\.)?|s\.)\s*(?<section>\d+[A-Za-z]?(?:-\d+[A-Za-z]?)?)(?:\([A-Za-z0-9]+\))*/
    nonisolated(unsafe) static let federalRegulations = /(?<title>\d{1,2})\s+C\.?\s?F\.?\s?R\.?\s*(?:§\s*|[Pp]art\s+)?(?<section>\d+(?:\.\d+)?)/
    nonisolated(unsafe) static let commercialCode = /U\.?\s?C\.?\s?C\.?\s*(?:§|[Ss]ec(?:tion|\.)?)?\s*(?<article>\d)-(?<section>\d{3}[A-Za-z]?)(?:\([A-Za-z0-9]+\))*/
    nonisolated(unsafe) static let federalRule = /Fed\.\s?R\.\s?(?<set>Civ\.\s?P|Crim\.\s?P|Evid|App\.\s?P)\.?\s*(?<number>\d+)(?:\([A-Za-z0-9]+\))*/
    nonisolated(unsafe) static let constitution = /U\.\s?S\.\s?Const\.?,?\s*(?:amend(?:ment)?\.?\s*(?<amendment>[IVXLC]+)|art(?:icle)?\.?\s*(?<article>[IVX]+)(?:,\s*§\s*(?<clause>\d+))?)/
    nonisolated(unsafe) static let amendmentByName = /\b(?<ordinal>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Thirteenth|Fourteenth|Fifteenth|Nineteenth)\s+Amendment\b/
    nonisolated(unsafe) static let act = /(?<name>(?:[A-Z][A-Za-z'’]*|\([A-Za-z ]+\))(?:\s+(?:[A-Z][A-Za-z'’]*|of|and|for|the|on|to|\([A-Za-z ]+\)))*)\s+Act(?:\s+of)?\s+(?<year>(?:1[5-9]|20)\d{2})\b/
    nonisolated(unsafe) static let europeanLaw = /(?<type>Regulation|Directive)\s+\((?:EU|EC|EEC)\)\s+(?:No\.?\s+)?(?<number>\d{2,4}\/\d{1,4})/
    nonisolated(unsafe) static let gdpr = /\bGDPR\b|General Data Protection Regulation/
    nonisolated(unsafe) static let versus = /\s(?:v\.?|vs\.?)\s/

    static let ordinals = ["First": "i", "Second": "ii", "Third": "iii", "Fourth": "iv", "Fifth": "v", "Sixth": "vi", "Seventh": "vii",
                           "Eighth": "viii", "Ninth": "ix", "Tenth": "x", "Eleventh": "xi", "Thirteenth": "xiii", "Fourteenth": "xiv",
                           "Fifteenth": "xv", "Nineteenth": "xix"]

    // MARK: Scanning

    /// Every citation in `text`, in reading order; a span is reported once (a case name that
    /// precedes its reporter citation belongs to that citation).
    static func scan(_ text: String) -> [LegalCitation] {
        var found: [(range: Range<String.Index>, citation: LegalCitation)] = []
        func add(_ range: Range<String.Index>, _ kind: LegalCitation.Kind, _ key: String, parties: [String] = [], start: String.Index? = nil) {
            let begin = start ?? range.lowerBound
            let span = begin..<range.upperBound
            guard !found.contains(where: { $0.range.overlaps(span) }) else { return }
            let written = String(text[span]).trimmingCharacters(in: .whitespaces)
            found.append((span, LegalCitation(text: written, kind: kind, key: key, parties: parties,
                                              offset: text.utf16.distance(from: text.startIndex, to: begin))))
        }
        for match in text.matches(of: usReporter) {
            let name = caseName(before: match.range.lowerBound, in: text)
            add(match.range, .caseLaw, "reporter|\(match.volume)|\(LegalCitation.compact(match.reporter))|\(match.page)",
                parties: name?.parties ?? [], start: name?.start)
        }
        for match in text.matches(of: ukReport) {
            let name = caseName(before: match.range.lowerBound, in: text)
            add(match.range, .caseLaw, "report|\(match.year)|\(match.volume ?? "")|\(LegalCitation.compact(match.reporter))|\(match.page)",
                parties: name?.parties ?? [], start: name?.start)
        }
        for match in text.matches(of: oldEnglishReport) {
            let name = caseName(before: match.range.lowerBound, in: text)
            add(match.range, .caseLaw, "report|\(match.year)|\(match.volume ?? "")|\(LegalCitation.compact(match.reporter))|\(match.page)",
                parties: name?.parties ?? [], start: name?.start)
        }
        for match in text.matches(of: usCode) { add(match.range, .statute, "usc|\(Int(match.title)!)|\(match.section.lowercased())") }
        for match in text.matches(of: federalRegulations) { add(match.range, .regulation, "cfr|\(Int(match.title)!)|\(match.section)") }
        for match in text.matches(of: commercialCode) { add(match.range, .statute, "ucc|\(match.article)-\(match.section.lowercased())") }
        for match in text.matches(of: federalRule) {
            add(match.range, .rule, "fed-r|\(LegalCitation.compact(match.set))|\(Int(match.number)!)")
        }
        for match in text.matches(of: constitution) {
            if let amendment = match.amendment {
                add(match.range, .constitution, "us-const|amend|\(amendment.lowercased())")
            } else if let article = match.article {
                add(match.range, .constitution, "us-const|art|\(article.lowercased())" + (match.clause.map { "|\($0)" } ?? ""))
            }
        }
        for match in text.matches(of: amendmentByName) {
            add(match.range, .constitution, "us-const|amend|\(ordinals[String(match.ordinal)]!)")
        }
        for match in text.matches(of: europeanLaw) {
            add(match.range, .regulation, "eu|\(match.type.lowercased())|\(match.number)")
        }
        for match in text.matches(of: gdpr) { add(match.range, .regulation, "eu|regulation|2016/679") }
        for match in text.matches(of: act) {
            let name = actName(String(match.name))
            guard let firstWord = name.split(separator: " ").first, let located = match.name.range(of: firstWord) else { continue }
            add(match.range, .statute, "act|\(LegalCitation.compact(name))|\(match.year)", start: located.lowerBound)
        }
        for match in text.matches(of: versus) {
            guard let name = caseName(around: match.range, in: text) else { continue }
            add(name.range, .caseLaw, "name|\(name.parties[0])|\(name.parties[1])", parties: name.parties)
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }.map(\.citation)
    }

    // MARK: Case names

    /// Abbreviations that end with a dot inside a party's name.
    static let abbreviations: Set<String> = [
        "co", "inc", "corp", "ltd", "bros", "mfg", "ry", "rr", "us", "ny", "dist", "dept", "natl", "intl", "st", "mt", "jr", "sr",
        "assn", "commn", "educ", "univ", "sch", "bd", "govt", "mr", "mrs", "ms", "dr",
    ]
    static let connectors: Set<String> = ["of", "and", "&", "the", "for", "de", "ex", "rel.", "rel", "on"]
    /// Company forms that follow a name, often after a comma ("Merrell Dow Pharmaceuticals, Inc.").
    static let companyForms: Set<String> = ["inc", "ltd", "plc", "llc", "llp", "lp", "co", "corp", "sa", "ag", "gmbh", "nv", "bv"]

    static func isCompanyForm(_ word: some StringProtocol) -> Bool { companyForms.contains(LegalCitation.compact(word)) }
    /// Words that introduce a citation rather than belong to the first party.
    static let signals: Set<String> = ["in", "see", "cf", "cf.", "under", "as", "per", "accord", "compare", "following", "also", "but",
                                       "and", "the", "e.g.", "eg", "following", "applying", "citing", "from", "after", "like", "unlike"]
    /// Party names that are roles, not names: "Plaintiff v. Defendant" is no citation.
    static let roles: Set<String> = ["plaintiff", "defendant", "claimant", "respondent", "appellant", "buyer", "seller", "a", "b", "x", "y"]

    /// The parties around a " v. " (for a case named without a reporter citation).
    static func caseName(around versus: Range<String.Index>, in text: String) -> (range: Range<String.Index>, parties: [String])? {
        guard let first = party(before: versus.lowerBound, in: text), let second = party(after: versus.upperBound, in: text) else { return nil }
        guard let a = LegalCitation.partyWord(first.name), let b = LegalCitation.partyWord(second.name),
              !(roles.contains(a) && roles.contains(b)) else { return nil }
        return (first.start..<second.end, [a, b])
    }

    /// The case name that directly precedes a reporter citation ("Brown v. Board of Education, "),
    /// and where it starts.
    static func caseName(before citation: String.Index, in text: String) -> (start: String.Index, parties: [String])? {
        let windowStart = text.index(citation, offsetBy: -160, limitedBy: text.startIndex) ?? text.startIndex
        let window = text[windowStart..<citation]
        guard let versus = window.matches(of: versus).last else { return nil }
        // Only the second party and a comma may lie between the " v. " and the citation.
        guard let second = party(after: versus.range.upperBound, in: text),
              text[second.end..<citation].allSatisfy({ $0 == "," || $0 == " " }),
              let first = party(before: versus.range.lowerBound, in: text),
              let a = LegalCitation.partyWord(first.name), let b = LegalCitation.partyWord(second.name) else { return nil }
        return (first.start, [a, b])
    }

    /// The first party: capitalized words (and connectors) back from `index`, signal words removed.
    static func party(before index: String.Index, in text: String) -> (name: String, start: String.Index)? {
        var words: [Substring] = []
        var cursor = index
        while cursor > text.startIndex {
            var end = cursor
            while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
            var begin = end
            while begin > text.startIndex, !" \n\t(\"“".contains(text[text.index(before: begin)]) { begin = text.index(before: begin) }
            guard begin < end else { break }
            let word = text[begin..<end]
            if word.last == "," || word.last == ";" || word.last == ":" {
                // "Feist Publications, Inc. v. …": a comma before the company form is inside the name.
                guard word.last == ",", words.count == 1, isCompanyForm(words[0]) else { break }
                words.insert(word.dropLast(), at: 0)
                cursor = begin
                continue
            }
            if word.last == ".", !abbreviations.contains(LegalCitation.compact(word)), word.count > 2 { break }
            guard word.first?.isUppercase == true || connectors.contains(word.lowercased()) || isCompanyForm(word) else { break }
            words.insert(word, at: 0)
            cursor = begin
        }
        while let first = words.first, signals.contains(first.lowercased()) || connectors.contains(first.lowercased()) { words.removeFirst() }
        guard let start = words.first?.startIndex, words.first?.first?.isUppercase == true else { return nil }
        return (words.joined(separator: " "), start)
    }

    /// The second party: capitalized words (and connectors) after `index`, up to a comma, a
    /// sentence end, a lowercase word or a citation; a company form after a comma belongs to it.
    static func party(after index: String.Index, in text: String) -> (name: String, end: String.Index)? {
        var words: [String] = []
        var end = index
        var cursor = index
        while cursor < text.endIndex {
            while cursor < text.endIndex, text[cursor] == " " { cursor = text.index(after: cursor) }
            var stop = cursor
            while stop < text.endIndex, !" \n\t".contains(text[stop]) { stop = text.index(after: stop) }
            guard cursor < stop else { break }
            var word = String(text[cursor..<stop])
            var last = false
            var comma = false
            if let tail = word.last, ",;:)".contains(tail) { word.removeLast(); last = true; comma = tail == "," }
            if word.hasSuffix("."), !abbreviations.contains(LegalCitation.compact(word)), !isCompanyForm(word), word.count > 2 {
                word.removeLast()
                last = true
            }
            guard !word.isEmpty, word.first?.isUppercase == true || connectors.contains(word.lowercased()) || isCompanyForm(word) else { break }
            words.append(word)
            end = text.index(cursor, offsetBy: word.count)
            cursor = stop
            guard last else { continue }
            // "…Pharmaceuticals, Inc., 509 U.S. 579": the company form after the comma is part of the name.
            guard comma else { break }
            var next = stop
            while next < text.endIndex, text[next] == " " { next = text.index(after: next) }
            var after = next
            while after < text.endIndex, !" \n\t,".contains(text[after]) { after = text.index(after: after) }
            guard next < after, isCompanyForm(text[next..<after]) else { break }
            words.append(String(text[next..<after]))
            end = after
            cursor = after
            if after < text.endIndex, text[after] == "," { break }
        }
        while let tail = words.last, connectors.contains(tail.lowercased()) { words.removeLast() }
        guard let head = words.first, head.first?.isUppercase == true else { return nil }
        return (words.joined(separator: " "), end)
    }

    /// "Under the Misrepresentation Act" → "Misrepresentation": signal words before an Act's name removed.
    static func actName(_ raw: String) -> String {
        var words = raw.split(separator: " ").map(String.init)
        let leading: Set<String> = ["under", "in", "see", "by", "per", "the", "of", "and", "section", "s", "according", "to", "pursuant",
                                    "following", "also", "cf", "this", "that", "as", "an", "a"]
        while let first = words.first, leading.contains(first.lowercased()) { words.removeFirst() }
        return words.joined(separator: " ")
    }
}
