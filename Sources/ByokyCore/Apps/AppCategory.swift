/// Where an app sits in the catalogue.
public enum AppCategory: String, Codable, Sendable, Hashable, CaseIterable {
    case chat, coding, trading, productivity, research, creative, other
}
