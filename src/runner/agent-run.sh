#!/bin/sh
# Runs one agent and records how it ended, with no daemon running.
# usage: agent-run.sh EXIT_FILE NODE CLI TASK -- AGENT ARGV...
# The agent argv arrives as positional parameters and runs as "$@": it is never re-parsed.
exit_file=$1 node=$2 cli=$3 task=$4
shift 5
# A handler (not an ignore, which the agent would inherit) keeps this shell alive through the
# SIGTERM that `stop` sends to the process group, so the agent's exit is still recorded.
trap ':' TERM INT HUP
"$@"
code=$?
ended=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
case $ended in *N*) ended=$(date -u +%Y-%m-%dT%H:%M:%S.000Z) ;; esac
# `_exited` commits the agent's leftovers and only then marks the task done, so nobody sees `done`
# before the work is on the branch. While it runs this shell is alive and the task reads as running.
"$node" "$cli" _exited "$task" "$code" "$ended" ||
  echo "git-superset: could not finish recording the exit of $task" >&2
# Written last and always: if `_exited` failed, the cache still learns the exit code from here.
printf '{"exitCode":%d,"endedAt":"%s"}\n' "$code" "$ended" >"$exit_file.tmp" &&
  mv -f "$exit_file.tmp" "$exit_file"
exit "$code"
