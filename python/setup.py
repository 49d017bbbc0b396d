"""pip install --no-build-isolation ./python   (after `cmake --install build --prefix P`)

Builds hazard._core against the installed library, found with pkg-config (hazard.pc): set
HAZARD_PREFIX=P (or PKG_CONFIG_PATH=P/lib/pkgconfig) when P is not a standard prefix. Nothing is
downloaded: setuptools, wheel, pybind11, numpy and pandas come from Debian (python3-setuptools,
python3-wheel, python3-pybind11, python3-numpy, python3-pandas), hence --no-build-isolation.
"""

import os
import shlex
import subprocess

from pybind11.setup_helpers import Pybind11Extension, build_ext
from setuptools import setup


def pkg_config(*args):
    env = dict(os.environ)
    prefix = os.environ.get("HAZARD_PREFIX")
    if prefix:
        paths = [os.path.join(prefix, d, "pkgconfig") for d in ("lib", "lib64", "lib/x86_64-linux-gnu")]
        env["PKG_CONFIG_PATH"] = os.pathsep.join(paths + [env.get("PKG_CONFIG_PATH", "")])
    try:
        out = subprocess.run(["pkg-config", *args, "hazard"], check=True, capture_output=True, text=True, env=env)
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit("hazard: pkg-config cannot find the installed library (hazard.pc): run "
                         "`cmake --install build --prefix P` and set HAZARD_PREFIX=P\n" + str(e))
    return out.stdout.strip()


core = Pybind11Extension(
    "hazard._core",
    ["src/module.cpp"],
    cxx_std=20,
    extra_compile_args=shlex.split(pkg_config("--cflags")) + ["-O2", "-g0"],
    extra_link_args=shlex.split(pkg_config("--libs")),
)

setup(
    name="hazard",
    version=pkg_config("--modversion"),
    description="Time-to-event analysis of randomized clinical trials (hazard's C++ library)",
    packages=["hazard"],
    ext_modules=[core],
    cmdclass={"build_ext": build_ext},
    python_requires=">=3.9",
    install_requires=["numpy", "pandas"],
    zip_safe=False,
)
