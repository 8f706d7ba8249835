/// The version of this Byoky build.
public enum ByokyVersion {
    /// Semantic version of the package.
    public static let current = "0.1.0"
}
