"""The two compiled modules: ``sources._plain`` (the scan of plain URLs) and ``service._wire``
(the /api/classify loop); their docstrings say why.

Everything else is in pyproject.toml. Without a C compiler the build fails
loudly rather than shipping a service four times slower on its hot path; the
Python code they replace stays beside them, for the tests.
"""

from Cython.Build import cythonize
from setuptools import setup

setup(ext_modules=cythonize(["sources/_plain.pyx", "service/_wire.pyx"], language_level=3, quiet=True))
