#include "CByokyConcurrencyHook.h"

extern void *_Nullable swift_task_enqueueGlobal_hook;

void *_Nullable *_Nonnull byoky_swift_task_enqueue_global_hook_address(void) {
    return &swift_task_enqueueGlobal_hook;
}
