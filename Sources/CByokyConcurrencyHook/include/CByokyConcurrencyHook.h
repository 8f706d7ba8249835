#ifndef C_BYOKY_CONCURRENCY_HOOK_H
#define C_BYOKY_CONCURRENCY_HOOK_H

/// The address of the Swift runtime's `swift_task_enqueueGlobal_hook`, resolved by the linker.
///
/// SwiftNIO finds that hook with `dlsym`, which fails in a binary linked with
/// `--static-swift-stdlib` (the runtime's symbols are not exported there); this reaches it either way.
void *_Nullable *_Nonnull byoky_swift_task_enqueue_global_hook_address(void);

/// Runs a job taken from the global executor's queue as the global executor runs its jobs: on the
/// generic executor (`swift_job_run` with the generic executor reference).
///
/// A job run "on" an event loop's own serial executor (what SwiftNIO does with global jobs) makes
/// every later `await` of a nonisolated function a switch to another executor, which enqueues
/// the task again; on the generic executor those calls continue inline.
void byoky_run_job_on_generic_executor(void *_Nonnull job);

#endif
