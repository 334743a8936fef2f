"""The one compiled module, ``service._wire`` (the /api/classify loop, see its docstring).

Everything else is in pyproject.toml. Without a C compiler the build fails
loudly rather than shipping a service four times slower on its hot path; the
pure-Python loop it replaces stays in ``service/classify_wire.py`` for tests.
"""

from Cython.Build import cythonize
from setuptools import setup

setup(ext_modules=cythonize(["service/_wire.pyx"], language_level=3, quiet=True))
