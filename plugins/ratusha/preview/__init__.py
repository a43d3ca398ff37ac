"""The editors' preview (``invoke preview``): the edited page served in a fraction of a second.

Not a Pelican plugin: a command around the build. :mod:`.site` keeps the site in memory
and renders an edited item's page; :mod:`.server` serves the output folder from a process
of its own; :mod:`.cli` watches the files and runs the ordinary builds.
"""
