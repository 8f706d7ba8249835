/// How often a cap resets: never, each UTC day, or each UTC calendar month.
public enum AllowancePeriod: String, Sendable, Hashable, Codable, CaseIterable {
    case lifetime, day, month

    /// The start (Unix ms) of the period that contains `time`.
    public func windowStart(containing time: Int64) -> Int64 {
        let dayLength: Int64 = 86_400_000
        switch self {
        case .lifetime:
            return 0
        case .day:
            return time - ((time % dayLength) + dayLength) % dayLength
        case .month:
            let days = Int64((Double(time) / Double(dayLength)).rounded(.down))
            let (year, month, _) = Self.civilDate(fromDays: days)
            return Self.days(year: year, month: month, day: 1) * dayLength
        }
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A proleptic Gregorian date to days since 1970-01-01.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
