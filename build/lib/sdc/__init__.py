"""The application shell: settings and the ``sdc`` command line, wiring the packages."""
