import ByokyRelaySocket
import Testing

/// The room in a relay URL's query, which a proxy in front of several relays hashes on.
struct RoutedURLTests {
    @Test(arguments: [
        ("ws://127.0.0.1:8787", "room-1", "ws://127.0.0.1:8787/?room=room-1"),
        ("wss://relay.byoky.com/", "v2_abc", "wss://relay.byoky.com/?room=v2_abc"),
        ("wss://relay.example/ws?x=1", "a b&c", "wss://relay.example/ws?x=1&room=a%20b%26c"),
    ])
    func theRoomIsAddedToTheQuery(url: String, room: String, expected: String) {
        #expect(RelayRoomSocket.routedURL(url, room: room) == expected)
    }
}
