# The audit's pytest plugin (options, comparison rows, tolerance report) and pytester for the
# machinery tests. Plugins must be declared in the root conftest.
pytest_plugins = ["verify.plugin", "pytester"]
