#ifndef C_BYOKY_CONCURRENCY_HOOK_H
#define C_BYOKY_CONCURRENCY_HOOK_H

/// The address of the Swift runtime's `swift_task_enqueueGlobal_hook`, resolved by the linker.
///
/// SwiftNIO finds that hook with `dlsym`, which fails in a binary linked with
/// `--static-swift-stdlib` (the runtime's symbols are not exported there); this reaches it either way.
void *_Nullable *_Nonnull byoky_swift_task_enqueue_global_hook_address(void);

#endif
