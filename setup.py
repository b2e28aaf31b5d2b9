"""Build the optional C extension ``aimds_middleware._native``.

The extension is optional: when no compiler is present (or the build fails for any reason) the
install still succeeds and the pure-Python twin runs. AIMDS_NO_NATIVE=1 skips the build.
"""

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    def run(self):
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any failure means "use the Python twin"
            sys.stderr.write(f"aimds-middleware: native extension not built ({exc}); using the Python twin\n")

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            sys.stderr.write(f"aimds-middleware: {ext.name} not built ({exc}); using the Python twin\n")


ext_modules = []
if os.environ.get("AIMDS_NO_NATIVE") != "1" and os.path.exists(os.path.join("native", "aimds_native.c")):
    ext_modules.append(
        Extension(
            "aimds_middleware._native",
            sources=[os.path.join("native", "aimds_native.c")],
            depends=[os.path.join("native", "aimds_hash.h"), os.path.join("native", "aimds_words.h"),
                     os.path.join("native", "aimds_gates.h")],
            extra_compile_args=["-O3", "-std=c99"],
            optional=True,
        )
    )

setup(ext_modules=ext_modules, cmdclass={"build_ext": OptionalBuildExt})
