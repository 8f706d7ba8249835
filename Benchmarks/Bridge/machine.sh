# What a benchmark's numbers depend on, for the first line of its report (sourced by the scripts
# here): the CPU, the cores, and how an idle CPU waits. On a guest whose idle driver is `haltpoll`,
# `guest_halt_poll_ns` is how long an idle vCPU polls before it halts; at 0 every wait of a
# process on loopback halts its vCPU and costs a wake-up from the host (tens of microseconds on a
# nested guest), which weighs on latencies at concurrency 1 far more than any proxy's own work
# (docs/BENCHMARKS.md, 2026-12-06).
machine_summary() {
    local idle driver poll
    driver=$(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo none)
    idle="idle driver $driver"
    if poll=$(cat /sys/module/haltpoll/parameters/guest_halt_poll_ns 2>/dev/null); then
        idle="$idle, guest_halt_poll_ns=$poll"
    fi
    echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(uname -r), $idle"
}
