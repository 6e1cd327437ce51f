"""The one C module: finding record boundaries without parsing (src/trailtui/events/_record_spans.c).

Optional: without a C compiler the package installs without it and reads every file whole.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "trailtui.events._record_spans",
            ["src/trailtui/events/_record_spans.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
