import ArgumentParser
import NIOCore
import NIOPosix

// Swift Concurrency's jobs run on NIO's event-loop threads, so a request moves between the
// bridge's socket, the wallet's async code and the upstream client without thread switches.
// This must happen before the first asynchronous job, so it is the program's first statement.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

/// Runs the asynchronous entry point (a plain `ByokyCommand.main()` here would pick the synchronous one).
func runAsyncCommand<Command: AsyncParsableCommand>(_ command: Command.Type) async {
    await command.main()
}

await runAsyncCommand(ByokyCommand.self)
