import ArgumentParser

// Swift Concurrency's jobs run on NIO's event-loop threads (see EventLoopExecutor). This must
// happen before the first asynchronous job, so it is the program's first statement.
EventLoopExecutor.install()

/// Runs the asynchronous entry point (a plain `ByokyCommand.main()` here would pick the synchronous one).
func runAsyncCommand<Command: AsyncParsableCommand>(_ command: Command.Type) async {
    await command.main()
}

await runAsyncCommand(ByokyCommand.self)
