// The tests that sign with slack_sdk start child processes the same way, through ProcessLauncher.
@_exported import ChildProcesses
