public import NIOCore

#if os(Linux)
import Glibc
#endif

/// Closes a connection whose client stopped reading: one that has been back-pressured (its
/// outbound buffer over the high-water mark, so the channel is not writable) for `timeout` with
/// not a byte of it drained to the client.
///
/// Without it, a client that asks for a long answer and never reads it holds the connection,
/// the task writing the answer and (on the bridge) the provider's connection forever. A client
/// that reads, however slowly, is never cut: any byte it is sent in a period is progress. The
/// handler costs nothing until a channel stops being writable but a count of the bytes written:
/// it watches writability changes, and keeps a timer only while the channel is back-pressured.
///
/// Add it first, nearest the socket: it sees the bytes of every write of the connection.
public final class WriteStallHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny
    public typealias InboundOut = NIOAny
    public typealias OutboundIn = IOData
    public typealias OutboundOut = IOData

    private let timeout: TimeAmount
    /// Bytes written to the channel so far, and at the start of the current period, with the
    /// bytes the channel then held unwritten: what was drained since is the difference.
    private var written = 0
    private var writtenAtLastCheck = 0
    private var bufferedAtLastCheck = 0
    private var check: Scheduled<Void>?

    /// A handler closing connections back-pressured for `timeout` with nothing drained.
    public init(timeout: TimeAmount = TimeAmount(ServerLimits.clientIdleTimeout)) {
        self.timeout = timeout
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        written &+= unwrapOutboundIn(data).readableBytes
        context.write(data, promise: promise)
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stopChecking()
        } else if check == nil {
            scheduleCheck(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        stopChecking()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        stopChecking()
    }

    private func scheduleCheck(context: ChannelHandlerContext) {
        writtenAtLastCheck = written
        bufferedAtLastCheck = context.channel.unwrittenBytes
        check = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.check = nil
            self.checkStall(context: context)
        }
    }

    /// Closes the connection when it is still back-pressured and nothing went to the client
    /// since the period began; begins another period when something did.
    private func checkStall(context: ChannelHandlerContext) {
        guard context.channel.isActive, !context.channel.isWritable else { return }
        let drained = bufferedAtLastCheck + (written &- writtenAtLastCheck) - context.channel.unwrittenBytes
        guard drained <= 0 else {
            scheduleCheck(context: context)
            return
        }
        // The channel hands bytes to the kernel only once its buffer is well below full (a
        // third free): with a socket buffer of megabytes, a client reading slowly drains the
        // kernel's for longer than a period before the channel sees any of it. The kernel says
        // when it last sent the client new bytes, which it does as soon as the client reads.
        #if os(Linux)
        if let socket = context.channel as? any SocketOptionProvider {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            socket.getTCPInfo().whenComplete { result in
                let (handler, context) = loopBound.value
                guard context.channel.isActive else { return }
                if case .success(let info) = result,
                    Int64(info.tcpi_last_data_sent) * 1_000_000 < handler.timeout.nanoseconds
                {
                    handler.scheduleCheck(context: context)
                } else {
                    context.close(promise: nil)
                }
            }
            return
        }
        #endif
        context.close(promise: nil)
    }

    private func stopChecking() {
        check?.cancel()
        check = nil
    }
}
