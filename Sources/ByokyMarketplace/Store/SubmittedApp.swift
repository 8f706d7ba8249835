public import ByokyCore
import Foundation

/// An app sent to the catalogue: its manifest and where it stands in review.
public struct SubmittedApp: Codable, Sendable, Hashable {
    public var id: String
    public var slug: String
    /// The manifest as JSON (kept whole, shown as submitted).
    public var manifestJSON: String
    /// Lower-cased name and description: what a catalogue search matches.
    public var searchText: String
    public var category: String
    public var state: String
    public var reason: String?
    /// SHA-256 (hex) of the submission token, which lets the submitter send new versions.
    public var submissionTokenHash: String
    public var submittedAt: Int64
    public var updatedAt: Int64
    public var approvedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, slug, category, state, reason
        case manifestJSON = "manifest"
        case searchText = "search_text"
        case submissionTokenHash = "submission_token_hash"
        case submittedAt = "submitted_at"
        case updatedAt = "updated_at"
        case approvedAt = "approved_at"
    }

    public init(id: String, manifest: AppManifest, submissionTokenHash: String, now: Int64) throws {
        self.id = id
        slug = manifest.slug
        manifestJSON = String(decoding: try JSONEncoder().encode(manifest), as: UTF8.self)
        searchText = Self.searchText(of: manifest)
        category = manifest.category.rawValue
        state = AppReviewState.pending.rawValue
        reason = nil
        self.submissionTokenHash = submissionTokenHash
        submittedAt = now
        updatedAt = now
        approvedAt = nil
    }

    static func searchText(of manifest: AppManifest) -> String {
        (manifest.name + "\n" + manifest.description).lowercased()
    }

    public var manifest: AppManifest? { try? JSONDecoder().decode(AppManifest.self, from: Data(manifestJSON.utf8)) }
    public var reviewState: AppReviewState { AppReviewState(rawValue: state) ?? .pending }
}
