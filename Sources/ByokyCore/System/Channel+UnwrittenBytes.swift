public import NIOCore

extension Channel {
    /// The bytes written to the channel and not yet to its socket, read on its event loop (0
    /// where a channel does not tell, which counts everything written as sent): how far behind
    /// its client is.
    public var unwrittenBytes: Int {
        (try? syncOptions?.getOption(ChannelOptions.bufferedWritableBytes)) ?? 0
    }
}
