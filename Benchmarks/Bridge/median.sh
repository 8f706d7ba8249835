# Sourced by the bridge benchmarks for their summaries: `median_awk` holds an awk function,
# `median(list)`, the median of a space-separated list of numbers, to put before an awk program:
#   awk "$median_awk"'{ ... median(values) ... }' file
median_awk='
    function median(list,   n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }'
