import ByokyCore
import Testing

struct PortNumberTests {
    @Test func portsFromZeroTo65535PassAndOthersSayWhy() {
        for port in [0, 1, 8080, 65535] { #expect(PortNumber.problem(with: port) == nil) }
        for port in [-1, 65536, 99999, Int.max, Int.min] {
            #expect(PortNumber.problem(with: port) == "--port must be 0 to 65535")
        }
    }

    @Test func aPortWithoutTheAnyPortChoiceStartsAtOne() {
        #expect(PortNumber.problem(with: 0, allowsAny: false) == "--port must be 1 to 65535")
        #expect(PortNumber.problem(with: 1, allowsAny: false) == nil)
        #expect(PortNumber.problem(with: 70000, option: "--bridge-port") == "--bridge-port must be 0 to 65535")
    }
}
