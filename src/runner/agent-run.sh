#!/bin/sh
# Runs one agent and records how it ended, with no daemon: the exit record is written by this
# shell the moment the agent exits, then `git superset _exited` folds it into the task.
# usage: agent-run.sh EXIT_FILE NODE CLI TASK -- AGENT ARGV...
# The agent argv arrives as positional parameters and runs as "$@": it is never re-parsed.
exit_file=$1 node=$2 cli=$3 task=$4
shift 5
# A handler (not an ignore, which the agent would inherit) keeps this shell alive through the
# SIGTERM that `stop` sends to the process group, so the agent's exit is still recorded.
trap ':' TERM INT HUP
"$@"
code=$?
printf '{"exitCode":%d,"endedAt":"%s"}\n' "$code" "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" >"$exit_file.tmp" &&
  mv -f "$exit_file.tmp" "$exit_file"
"$node" "$cli" _exited "$task" || echo "git-superset: could not finish recording the exit of $task" >&2
exit "$code"
