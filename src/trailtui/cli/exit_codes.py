"""The exit codes of every `trailtui` command.

0 success; 1 when no input could be read, a query failed or the AWS account could not answer (credentials,
network, access denied); 2 for bad arguments, a malformed query or definition, or a request refused as
invalid.
"""

EXIT_OK = 0
EXIT_NO_INPUT = 1
EXIT_ACCOUNT = 1
EXIT_USAGE = 2
