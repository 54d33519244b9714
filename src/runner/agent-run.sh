#!/bin/sh
# Runs one agent and records how it ended, with no daemon running.
# usage: agent-run.sh EXIT_FILE NODE CLI TASK -- AGENT ARGV...
# The agent argv arrives as positional parameters and runs as "$@": it is never re-parsed.
exit_file=$1 node=$2 cli=$3 task=$4
shift 5
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
exit "$code"
