/// A test fixture that could not be set up, saying why (a server that did not start, an answer
/// that was not the expected one).
package struct FixtureError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }
}
