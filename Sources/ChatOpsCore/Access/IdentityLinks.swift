import Foundation

/// One person's ids across platforms, from `identities:` in `chatops.yaml`:
///
/// ```yaml
/// identities:
///   alice: [slack:U024BE7LH, webchat:alice]
/// ```
///
/// Linked ids are one person: a vote from any of them counts once, a requester cannot approve
/// their own request from another platform, and a vote from another platform than the request's
/// counts only through such a link.
public struct IdentityLinks: Codable, Sendable, Equatable {
    /// Qualified ids (`platform:id`) by person.
    public var people: [String: [String]]
    private var personByID: [String: String]

    public init(people: [String: [String]] = [:]) {
        self.people = people
        var index: [String: String] = [:]
        for (person, ids) in people.sorted(by: { $0.key < $1.key }) {
            for id in ids where index[id] == nil { index[id] = person }
        }
        personByID = index
    }

    public init(from decoder: any Decoder) throws {
        self.init(people: try decoder.singleValueContainer().decode([String: [String]].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(people)
    }

    /// Who the principal is: the linked person, or (unlinked) the platform-qualified id itself.
    public func person(of principal: Principal) -> String {
        personByID[principal.qualifiedID].map { "person:\($0)" } ?? principal.qualifiedID
    }

    /// Whether two principals are the same person (the same verified id, or linked ids).
    public func isSamePerson(_ a: Principal, _ b: Principal) -> Bool {
        person(of: a) == person(of: b)
    }

    /// Whether the principal is linked to some id on `platform`.
    public func isLinked(_ principal: Principal, to platform: String) -> Bool {
        guard let person = personByID[principal.qualifiedID] else { return false }
        return people[person, default: []].contains { $0.hasPrefix("\(platform):") }
    }

    /// Mistakes in the links: ids without a platform, and ids given to two people.
    public func problems() -> [String] {
        var problems: [String] = []
        var owner: [String: String] = [:]
        for (person, ids) in people.sorted(by: { $0.key < $1.key }) {
            for id in ids {
                if !id.contains(":") { problems.append("identities.\(person): `\(id)` must name its platform, such as `slack:\(id)`") }
                if let other = owner[id] { problems.append("identities: `\(id)` is linked to both \(other) and \(person)") }
                owner[id] = person
            }
        }
        return problems
    }
}
