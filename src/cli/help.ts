// The --help text, grouped by task.
export const HELP = `gridlock — why is this Go program stuck?

Reads a goroutine dump (panic / SIGQUIT traceback, /debug/pprof/goroutine?debug=1|2, the pprof
protobuf, or a mangled paste of any of them) with the program's Go source, and names the circular
waits, leaked locks, orphaned waits and pile-ups behind a hang.

Diagnose a dump
  gridlock <dump file | URL | ->       read a dump: a file (also .gz, Docker json-file and
                                       journald logs), a pprof URL (http://host:6060/debug/pprof/
                                       fetches debug=2), or standard input (- or no argument
                                       when it is not a terminal)
    -s, --source DIR                   Go source tree (repeatable); default: the module around
                                       the current directory, then the module cache
    --fail-on none|deadlock|any        exit 1 when such a finding has likely or certain
                                       confidence (deadlock = deadlock-cycle or leaked-lock)
    --pass-through                     copy the input to stdout as it is read, then append the
                                       diagnosis of each dump in it (go test ./... 2>&1 | gridlock
                                       --pass-through); input without a dump adds nothing, exit 0

Choose the output
    -f, --format text|json|markdown|mermaid|dot   default text
    --json                             same as --format json (the versioned contract)
    --html FILE                        also write a self-contained HTML report
    --color, --no-color                default: colour when stdout is a terminal
    -v, --verbose, --all               the text output in full: each party's wakers, the
                                       groups' stacks, the longest waits, the creation sites
    --max-groups N                     groups listed in the text summary
    --explain ID                       how the verdict on one group (its id, e.g. kmbtq) was reached, step by step

Read a dump your way
    --snapshot N                       which dump of a file holding several (default: the last)
    --group exact|stack|functions      grouping: same arguments too | same stack (default) |
                                       same functions at any line
    --no-cache, --cache-dir DIR        the source index cache (default ~/.cache/gridlock)

Other commands
  gridlock serve [--port N] [--host H] [--source DIR]...
                                       a local web UI: paste or drop a dump, see the report
  gridlock watch URL [--source DIR] [--interval 10s] [--json] [--report-dir DIR] [--once]
                                       poll a live process's net/http/pprof endpoint and alert
                                       when goroutines get stuck

Exit codes
  0  read and analysed (no finding at the --fail-on threshold)
  1  a finding at the --fail-on threshold
  2  unusable input or arguments (one line on stderr says what and where)

  -h, --help     this text
  -V, --version  the version
`;
