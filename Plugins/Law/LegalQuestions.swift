// Fact-pattern questions written for this project, each with the authorities from the citation
// list that bear on it: the labeling seed (`questions`), whose `input` lists the authorities the
// teacher may cite, so an invented citation is easy to tell apart.
struct LegalQuestion: Sendable {
    var id: String
    var area: String
    var question: String
    var authorities: [String]
}

extension LegalQuestion {
    static let shipped: [LegalQuestion] = [
        LegalQuestion(id: "advert-reward", area: "contract",
                      question: "A company advertised that it would pay 100 pounds to anyone who used its smoke ball as directed and still caught the flu, and said it had deposited money at a bank to show its sincerity. Ms Lee used the ball as directed and caught the flu. Must the company pay her?",
                      authorities: ["Carlill v Carbolic Smoke Ball Co [1893] 1 QB 256"]),
        LegalQuestion(id: "snail-bottle", area: "tort",
                      question: "A woman fell ill after drinking ginger beer from an opaque bottle that contained a decomposed snail. Her friend had bought the drink. Can she sue the manufacturer?",
                      authorities: ["Donoghue v Stevenson [1932] AC 562", "MacPherson v. Buick Motor Co., 217 N.Y. 382 (1916)"]),
        LegalQuestion(id: "late-crankshaft", area: "contract",
                      question: "A mill's crankshaft broke and a carrier was late delivering it for repair, so the mill stayed closed for days. The carrier was never told that the mill had no spare. Can the mill owner recover the lost profits from the carrier?",
                      authorities: ["Hadley v Baxendale (1854) 9 Exch 341"]),
        LegalQuestion(id: "battle-of-forms", area: "contract",
                      question: "A buyer's purchase order and the seller's acknowledgment form, exchanged between two merchants for a sale of goods, contain different warranty terms. Which terms govern the contract?",
                      authorities: ["U.C.C. § 2-207"]),
        LegalQuestion(id: "no-warnings", area: "criminal-procedure",
                      question: "Police arrested a suspect and questioned him at the station for two hours without telling him of any rights. He confessed. Can the prosecution use the confession at trial?",
                      authorities: ["Miranda v. Arizona, 384 U.S. 436 (1966)", "U.S. Const. amend. V"]),
        LegalQuestion(id: "phone-booth", area: "criminal-procedure",
                      question: "Without a warrant, police attached a listening device to the outside of a public telephone booth and recorded a caller's conversations. Was this a search?",
                      authorities: ["Katz v. United States, 389 U.S. 347 (1967)", "U.S. Const. amend. IV"]),
        LegalQuestion(id: "parody-song", area: "ip",
                      question: "A band released a parody of a famous song that copied its opening bass riff and first line but changed the rest. Can the parody be fair use?",
                      authorities: ["Campbell v. Acuff-Rose Music, Inc., 510 U.S. 569 (1994)", "17 U.S.C. § 107"]),
        LegalQuestion(id: "diversity-60k", area: "civil-procedure",
                      question: "A Texas resident wants to sue a New York company in federal court for 60,000 dollars for breach of contract. Can the federal court hear the case on diversity grounds?",
                      authorities: ["28 U.S.C. § 1332"]),
        LegalQuestion(id: "excessive-force", area: "constitutional",
                      question: "A city police officer used excessive force during an arrest. Under which federal statute can the injured person sue the officer for damages?",
                      authorities: ["42 U.S.C. § 1983", "U.S. Const. amend. IV"]),
        LegalQuestion(id: "half-rent", area: "contract",
                      question: "During wartime a landlord promised in writing to accept half the agreed rent for a block of flats. After the war the landlord claimed the full rent for those years. Can the landlord recover it?",
                      authorities: ["Central London Property Trust Ltd v High Trees House Ltd [1947] KB 130"]),
        LegalQuestion(id: "bank-reference", area: "tort",
                      question: "A bank carelessly gave a favourable reference about a client's creditworthiness to an advertising agency, which relied on it and lost money when the client failed. Can the agency recover its loss from the bank?",
                      authorities: ["Hedley Byrne & Co Ltd v Heller & Partners Ltd [1964] AC 465", "Caparo Industries plc v Dickman [1990] 2 AC 605"]),
        LegalQuestion(id: "religion-promotion", area: "employment",
                      question: "A private employer in the United States refused to promote a qualified employee because of her religion. Which federal law does this breach?",
                      authorities: ["42 U.S.C. § 2000e-2"]),
        LegalQuestion(id: "no-evidence", area: "civil-procedure",
                      question: "In a federal civil case, the defendant says the plaintiff has no evidence of an essential element of her claim. How can the court decide the case without a trial?",
                      authorities: ["Fed. R. Civ. P. 56", "Celotex Corp. v. Catrett, 477 U.S. 317 (1986)"]),
        LegalQuestion(id: "untested-expert", area: "evidence",
                      question: "A party wants to call an expert whose method has never been tested or peer reviewed. What standard decides whether the testimony is admissible in federal court?",
                      authorities: ["Fed. R. Evid. 702", "Daubert v. Merrell Dow Pharmaceuticals, Inc., 509 U.S. 579 (1993)"]),
    ]
}
