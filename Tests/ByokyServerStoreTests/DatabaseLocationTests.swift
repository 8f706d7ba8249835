import ByokyServerStore
import Testing

/// Where a server's data goes, from `--data`, `--database-url`, `DATABASE_URL` and `PGPASSWORD`,
/// and that a password never rides on the command line nor shows in a message.
@Suite struct DatabaseLocationTests {
    @Test func withoutAURLTheDataIsOneSQLiteFile() throws {
        let location = try DatabaseLocation.choose(
            dataFolder: "/srv/board",
            fileName: "marketplace.sqlite",
            databaseURL: nil,
            environment: [:]
        )
        #expect(location == .sqliteFile(path: "/srv/board/marketplace.sqlite"))
    }

    @Test func aPasswordOnTheCommandLineIsRefusedWithoutRepeatingIt() {
        #expect {
            _ = try DatabaseLocation.choose(
                dataFolder: "d",
                fileName: "f",
                databaseURL: "postgres://board:hunter2-secret@db.internal:5432/board",
                environment: [:]
            )
        } throws: { error in
            let text = "\(error)"
            return text.contains("PGPASSWORD") && !text.contains("hunter2")
        }
    }

    @Test func theCommandLineURLTakesItsPasswordFromPGPASSWORD() throws {
        let location = try DatabaseLocation.choose(
            dataFolder: "d",
            fileName: "f",
            databaseURL: "postgresql://board@db.internal:5432/board",
            environment: ["PGPASSWORD": "from-env", "DATABASE_URL": "postgres://other@elsewhere/x"]
        )
        #expect(location == .postgres(url: "postgres://board@db.internal:5432/board", password: "from-env"))
        #expect(!location.description.contains("from-env"))
    }

    @Test func databaseURLMayCarryThePasswordAndItIsTakenOut() throws {
        let location = try DatabaseLocation.choose(
            dataFolder: "d",
            fileName: "f",
            databaseURL: nil,
            environment: ["DATABASE_URL": "postgres://board:p%40ss@db.internal:6432/board?sslmode=require"]
        )
        #expect(location == .postgres(url: "postgres://board@db.internal:6432/board?sslmode=require", password: "p@ss"))
        #expect(!location.description.contains("p@ss") && !location.description.contains("p%40ss"))
    }

    @Test(arguments: [
        "mysql://board@db/board",
        "postgres:///board",
        "postgres://db.internal/board",
        "not a url at all",
        "",
    ])
    func urlsThatCannotWorkAreRefusedWithTheShapeToUse(_ url: String) {
        #expect {
            _ = try DatabaseLocation.postgres(url: url, password: nil, fromCommandLine: true)
        } throws: { error in
            "\(error)".contains("postgres://user@host:5432/database")
        }
    }
}
