#!/bin/sh
# Runs one agent and records how it ended, with no daemon running.
# usage: agent-run.sh EXIT_FILE NODE CLI TASK -- AGENT ARGV...
#    or: agent-run.sh EXIT_FILE NODE CLI TASK --argv-file FILE
# The agent argv arrives as positional parameters and runs as "$@": it is never re-parsed.
exit_file=$1 node=$2 cli=$3 task=$4
if [ "$5" = --argv-file ]; then
  # From a file (launch.ts), not tmux's command line, which a prompt of 8 KB overflows. One field
  # per line: "A" an argument, "P" the prompt for $SUPERSET_PROMPT, "+" the field goes on after a
  # newline. Only read into variables and "$@", never evaluated.
  argv_file=$6
  set --
  kind='' field=''
  while IFS= read -r line; do
    case $line in +*) field="$field
${line#+}" && continue ;; esac
    case $kind in A) set -- "$@" "$field" ;; P) SUPERSET_PROMPT=$field ;; esac
    case $line in A*) kind=A ;; P*) kind=P ;; *) kind='' ;; esac
    field=${line#?}
  done <"$argv_file"
  case $kind in A) set -- "$@" "$field" ;; P) SUPERSET_PROMPT=$field ;; esac
  export SUPERSET_PROMPT
  rm -f "$argv_file"
  [ $# -gt 0 ] || { echo "git superset: no agent command in $argv_file" >&2; set -- false; }
else
  shift 5
fi
# A handler (not an ignore, which the agent would inherit) keeps this shell alive through the
# SIGTERM that `stop` sends to the process group, so the agent's exit is still recorded.
trap ':' TERM INT HUP
# The exit record's blocks are taken now, while there is room: on a full disk it is rewritten in
# place (`1<>` does not truncate), so an agent that exited 0 still reads done, not failed.
pending=$exit_file.pending
printf '%128s\n' '' >"$pending" 2>/dev/null
"$@"
code=$?
ended=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
case $ended in *N*) ended=$(date -u +%Y-%m-%dT%H:%M:%S.000Z) ;; esac
# The code first, before anything that can fail. While this shell is alive the task reads
# `finishing`, never done: `_exited` commits the agent's leftovers and writes the `exited` note, and
# only then marks the task done, so nobody sees `done` before the work is on the branch.
# (.git/superset may have been deleted while the agent ran: its tasks directory is made again)
[ -d "${exit_file%/*}" ] || mkdir -p "${exit_file%/*}" 2>/dev/null
{ printf '{"exitCode":%d,"endedAt":"%s"}' "$code" "$ended" 1<>"$pending" && mv -f "$pending" "$exit_file"; } 2>/dev/null ||
  { printf '{"exitCode":%d,"endedAt":"%s"}\n' "$code" "$ended" >"$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"; }
# An agent that deleted its own worktree leaves us in a directory that is gone (Node cannot even
# start there): `_exited` runs from the main worktree instead. Its output goes to the task's log,
# which outlives a terminal that went away (tmux kill-server) where writing to it would fail.
common=${exit_file%/superset/tasks/*}
{ [ -d "$PWD" ] && [ "$PWD" -ef . ]; } || cd "${common%/.git}" 2>/dev/null || cd "$common" 2>/dev/null || cd /
log=$common/superset/logs/$task.log
if [ -d "${log%/*}" ]; then
  "$node" "$cli" _exited "$task" "$code" "$ended" >>"$log" 2>&1
else
  "$node" "$cli" _exited "$task" "$code" "$ended"
fi || { echo "git superset: could not finish recording the exit of $task" >&2; } 2>/dev/null
# A pane is kept only when its agent failed (remain-on-exit failed), to read the error. tmux may
# not learn this shell's exit status (it can see the pane's terminal close first, and then keeps
# the pane as if it had failed): a success closes its own pane, and with it the session.
if [ "$code" -eq 0 ] && [ -n "${TMUX_PANE:-}" ]; then tmux kill-pane -t "$TMUX_PANE" 2>/dev/null; fi
exit "$code"
