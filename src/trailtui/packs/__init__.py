"""Built-in and user packs: saved queries, Contributor Insights rules, metric filters and alarms as JSON.

Built in: `cloudtrail` (the design's four Logs Insights queries, its three Contributor Insights rules, and
the AssumeRole duration metric filter with an alarm when a session longer than an hour is requested) and
`cis-aws-foundations` (every CIS AWS Foundations CloudTrail metric filter, each with its alarm: Sum >= 1
in 5 minutes). See `loader` for the folder layout and the user's packs folder.
"""

from trailtui.packs.loader import (
    BUILTIN_DIR,
    KIND_FOLDERS,
    PackContents,
    PackDefinition,
    PackFileError,
    load_builtin_packs,
    load_packs,
    read_definition,
    replace_file,
    user_packs_dir,
    write_user_definition,
)

__all__ = [
    "BUILTIN_DIR",
    "KIND_FOLDERS",
    "PackContents",
    "PackDefinition",
    "PackFileError",
    "load_builtin_packs",
    "load_packs",
    "read_definition",
    "replace_file",
    "user_packs_dir",
    "write_user_definition",
]
