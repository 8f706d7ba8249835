#include "CByokyConcurrencyHook.h"

#include <stdint.h>

extern void *_Nullable swift_task_enqueueGlobal_hook;

/// The runtime's `SerialExecutorRef`: an identity (null for the generic executor) and a word of
/// implementation bits (zero for the generic executor).
typedef struct {
    void *_Nullable identity;
    uintptr_t implementation;
} ByokySerialExecutorRef;

/// The runtime's entry point that runs a job on an executor (Swift calling convention).
extern void swift_job_run(void *_Nonnull job, ByokySerialExecutorRef executor) __attribute__((swiftcall));

void *_Nullable *_Nonnull byoky_swift_task_enqueue_global_hook_address(void) {
    return &swift_task_enqueueGlobal_hook;
}

void byoky_run_job_on_generic_executor(void *_Nonnull job) {
    ByokySerialExecutorRef generic = {0, 0};
    swift_job_run(job, generic);
}
