// The topic tree for curation, written for this project: 12 areas of law, each with the issues a
// client or student asks about and the key points a good answer covers (general principles of
// the common law, United States federal law and EU data protection; not advice for any one case).
struct LegalArea: Sendable {
    var id: String
    var name: String
    var issues: [LegalIssue]
}

struct LegalIssue: Sendable {
    var id: String
    var name: String
    var keyPoints: String
}

extension LegalArea {
    static let tree: [LegalArea] = [
        LegalArea(id: "contract", name: "Contract law", issues: [
            LegalIssue(id: "formation", name: "offer and acceptance",
                       keyPoints: "A contract is formed when an offer is accepted unconditionally; advertisements are usually invitations to treat, but a clear unilateral promise to anyone who performs an act can be an offer. A postal acceptance is generally effective when posted; instantaneous communications when received."),
            LegalIssue(id: "consideration", name: "consideration",
                       keyPoints: "Each side must give something of value; consideration must be sufficient but need not be adequate, and past consideration is generally no consideration. Promissory estoppel can stop a promisor going back on a promise that was relied on."),
            LegalIssue(id: "remedies", name: "damages and remedies for breach",
                       keyPoints: "Damages aim to put the claimant where performance would have put them; losses must not be too remote, meaning they arise naturally from the breach or were in the contemplation of both parties. Specific performance is discretionary."),
            LegalIssue(id: "misrepresentation", name: "misrepresentation and mistake",
                       keyPoints: "A false statement of fact that induces a contract can make it voidable and may give a right to damages; opinions and sales talk usually do not count. A mutual mistake about a basic assumption can make a contract void or voidable."),
            LegalIssue(id: "terms", name: "terms and the battle of the forms",
                       keyPoints: "Terms can be express or implied, for example that goods are of satisfactory or merchantable quality. When businesses exchange forms with different terms, rules such as U.C.C. section 2-207 decide which terms become part of the contract."),
        ]),
        LegalArea(id: "tort", name: "Tort law", issues: [
            LegalIssue(id: "duty", name: "negligence: duty of care",
                       keyPoints: "A duty of care is owed to persons closely and directly affected by one's acts who ought reasonably to be in contemplation. Later cases ask about foreseeability, proximity and whether imposing a duty is fair, just and reasonable."),
            LegalIssue(id: "breach-causation", name: "negligence: breach and causation",
                       keyPoints: "Breach means falling below the standard of a reasonable person, or for professionals of a responsible body of professional opinion. The claimant must show that the breach caused damage that was not too remote."),
            LegalIssue(id: "strict-liability", name: "strict liability",
                       keyPoints: "Some activities create liability without fault, such as the escape of dangerous things brought onto land, and in many systems defective products."),
            LegalIssue(id: "defamation", name: "defamation",
                       keyPoints: "Defamation protects reputation against false statements communicated to others. For public officials in the United States, actual malice must be proved."),
            LegalIssue(id: "economic-loss", name: "negligent misstatement and economic loss",
                       keyPoints: "Pure economic loss caused by careless advice can be recovered where there is a special relationship and reasonable reliance on the adviser's skill."),
        ]),
        LegalArea(id: "criminal", name: "Criminal law", issues: [
            LegalIssue(id: "elements", name: "actus reus and mens rea",
                       keyPoints: "Most serious crimes require a guilty act and a guilty mind, such as intention or recklessness, at the same time. Some regulatory offences are strict liability."),
            LegalIssue(id: "self-defence", name: "self-defence",
                       keyPoints: "Force used in self-defence must be necessary and reasonable in the circumstances as the defendant believed them to be."),
            LegalIssue(id: "consent", name: "consent as a defence",
                       keyPoints: "Consent can be a defence to some offences against the person, but courts limit it where serious harm is intended or caused."),
        ]),
        LegalArea(id: "criminal-procedure", name: "Criminal procedure", issues: [
            LegalIssue(id: "search", name: "searches and warrants",
                       keyPoints: "The Fourth Amendment protects reasonable expectations of privacy; searches generally need a warrant based on probable cause, with exceptions such as a brief stop and frisk on reasonable suspicion. Evidence obtained unlawfully may be excluded."),
            LegalIssue(id: "interrogation", name: "custodial interrogation",
                       keyPoints: "Before questioning a suspect in custody, police must warn of the right to remain silent, that statements can be used in court, and the right to a lawyer; otherwise the statements are generally inadmissible."),
            LegalIssue(id: "counsel", name: "right to counsel",
                       keyPoints: "A person accused of a serious crime who cannot afford a lawyer has a right to one appointed by the state."),
        ]),
        LegalArea(id: "constitutional", name: "Constitutional law", issues: [
            LegalIssue(id: "judicial-review", name: "judicial review",
                       keyPoints: "Courts can declare statutes void when they conflict with the constitution, a power established in the United States in 1803."),
            LegalIssue(id: "equal-protection", name: "equal protection",
                       keyPoints: "The Equal Protection Clause forbids states to deny any person the equal protection of the laws; segregated public schools were held inherently unequal."),
            LegalIssue(id: "speech", name: "freedom of speech",
                       keyPoints: "The First Amendment protects speech, including symbolic speech by students that does not substantially disrupt school, and sets a high bar for libel claims by public officials."),
        ]),
        LegalArea(id: "property", name: "Property law", issues: [
            LegalIssue(id: "adverse-possession", name: "adverse possession",
                       keyPoints: "A person who possesses land openly, continuously, exclusively and without permission for the statutory period can acquire title."),
            LegalIssue(id: "co-ownership", name: "co-ownership",
                       keyPoints: "Joint tenants have a right of survivorship, so a deceased joint tenant's share passes to the others; tenants in common hold separate shares that pass by will."),
            LegalIssue(id: "easements", name: "easements",
                       keyPoints: "An easement is a right over another's land, such as a right of way, and can be created expressly, by implication or by long use."),
            LegalIssue(id: "leases", name: "landlord and tenant",
                       keyPoints: "A lease gives exclusive possession for a term; landlords commonly owe repair obligations and tenants must pay rent and avoid waste."),
        ]),
        LegalArea(id: "employment", name: "Employment law", issues: [
            LegalIssue(id: "discrimination", name: "discrimination",
                       keyPoints: "Employers may not discriminate in hiring, promotion or dismissal because of protected characteristics such as race, colour, religion, sex or national origin."),
            LegalIssue(id: "wages", name: "minimum wage and hours",
                       keyPoints: "Minimum wage laws set the lowest hourly pay, and many systems require overtime pay for long hours."),
            LegalIssue(id: "dismissal", name: "wrongful and unfair dismissal",
                       keyPoints: "Dismissal in breach of the contract's notice terms is wrongful; many systems also protect employees against dismissal without a fair reason and procedure."),
        ]),
        LegalArea(id: "family", name: "Family law", issues: [
            LegalIssue(id: "divorce", name: "divorce",
                       keyPoints: "Many systems allow divorce on the ground that the marriage has irretrievably broken down, without proof of fault."),
            LegalIssue(id: "custody", name: "child custody",
                       keyPoints: "Decisions about where a child lives are made in the best interests of the child."),
            LegalIssue(id: "prenuptial", name: "prenuptial agreements",
                       keyPoints: "Agreements made before marriage about property are given effect in many systems if both parties entered them freely with full disclosure."),
        ]),
        LegalArea(id: "ip", name: "Intellectual property", issues: [
            LegalIssue(id: "copyright", name: "copyright",
                       keyPoints: "Copyright protects original works of authorship fixed in a tangible medium, not ideas or facts; a compilation needs a minimal degree of creativity in selection or arrangement."),
            LegalIssue(id: "fair-use", name: "fair use",
                       keyPoints: "Fair use weighs the purpose and character of the use, the nature of the work, the amount used, and the effect on the market; parody can be transformative."),
            LegalIssue(id: "trademarks", name: "trademarks",
                       keyPoints: "A trademark identifies the source of goods or services; infringement turns on the likelihood of confusion."),
            LegalIssue(id: "patents", name: "patents",
                       keyPoints: "Patents protect new, non-obvious and useful inventions for a limited term in exchange for public disclosure."),
        ]),
        LegalArea(id: "civil-procedure", name: "Civil procedure", issues: [
            LegalIssue(id: "jurisdiction", name: "jurisdiction",
                       keyPoints: "Federal courts hear federal questions and, under diversity jurisdiction, suits between citizens of different states with more than $75,000 in controversy; personal jurisdiction needs minimum contacts with the forum."),
            LegalIssue(id: "pleading", name: "pleading standards",
                       keyPoints: "A complaint must state a plausible claim for relief; bare legal conclusions are not enough to survive a motion to dismiss."),
            LegalIssue(id: "summary-judgment", name: "summary judgment",
                       keyPoints: "A court grants summary judgment when there is no genuine dispute of material fact and the movant is entitled to judgment as a matter of law."),
        ]),
        LegalArea(id: "evidence", name: "Evidence", issues: [
            LegalIssue(id: "hearsay", name: "hearsay",
                       keyPoints: "Hearsay is an out-of-court statement offered to prove the truth of what it asserts; it is generally inadmissible unless an exception applies."),
            LegalIssue(id: "experts", name: "expert testimony",
                       keyPoints: "Expert testimony must rest on sufficient facts and reliable methods reliably applied; judges act as gatekeepers."),
            LegalIssue(id: "privilege", name: "privilege",
                       keyPoints: "Confidential communications between lawyer and client for the purpose of legal advice are privileged from disclosure."),
        ]),
        LegalArea(id: "data-protection", name: "Data protection", issues: [
            LegalIssue(id: "lawful-basis", name: "lawful basis for processing",
                       keyPoints: "Under the GDPR, personal data may be processed only on a lawful basis such as consent, contract, legal obligation or legitimate interests."),
            LegalIssue(id: "rights", name: "data subject rights",
                       keyPoints: "Individuals have rights to access their data, to have inaccurate data corrected and, in some cases, to have it erased."),
        ]),
    ]
}
