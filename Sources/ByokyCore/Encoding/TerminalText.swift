/// Text from the network made safe to print to a terminal: control characters (an escape
/// sequence could rewrite the screen or the title) become `?`.
public enum TerminalText {
    public static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 })
        )
    }
}
