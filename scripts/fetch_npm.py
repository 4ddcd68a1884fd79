"""Download a package tarball from the npm registry (used by script/setup when npm is missing:
htmx.org, and axe-core for the tests). The caller checks the SHA-256 of what it unpacks."""
import json
import sys
import urllib.request

name, version, dest = sys.argv[1:4]
registry = "https://registry.npmjs.org"
with urllib.request.urlopen(f"{registry}/{name}/{version}", timeout=60) as response:
    meta = json.load(response)
url = meta["dist"]["tarball"]
with urllib.request.urlopen(url, timeout=120) as response, \
        open(f"{dest}/{name}-{version}.tgz", "wb") as out:
    out.write(response.read())
