# Sourced by the bridge benchmarks: `need_tools TOOL...` makes sure each command is there. On a
# Debian machine as root (as on CI) it installs the missing ones with apt-get; elsewhere it says
# what to install and stops. Commands and their packages: nginx, wrk, valgrind (also
# callgrind_control and callgrind_annotate), objcopy (binutils), perf (linux-perf), strace.
need_tools() {
    local tool package missing=()
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 && continue
        case "$tool" in
        callgrind_control | callgrind_annotate) package=valgrind ;;
        objcopy) package=binutils ;;
        perf) package=linux-perf ;;
        *) package=$tool ;;
        esac
        [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
        echo "installing ${missing[*]} (apt-get)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
        for tool in "$@"; do
            command -v "$tool" >/dev/null 2>&1 || { echo "$tool is still missing after installing ${missing[*]}" >&2; exit 1; }
        done
    else
        echo "missing: ${missing[*]}; install them (apt-get install ${missing[*]}) to run this benchmark" >&2
        exit 1
    fi
}
